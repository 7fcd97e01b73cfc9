#include "custody/break_glass_service.h"

#include <sys/stat.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <fstream>
#include <future>

#include "service/credential_test_seed.h"
#include "service/service_test_env.h"

namespace warden::custody {
namespace {

namespace net = boost::asio;
namespace http = boost::beast::http;

// A loopback HTTP receiver: answers 500 to the first request (to exercise
// retries) and 200 after; keeps the last accepted request.
class WebhookReceiver {
 public:
  WebhookReceiver() : acceptor_(ioc_, {net::ip::make_address("127.0.0.1"), 0}) {
    thread_ = std::thread([this] { Serve(); });
  }
  ~WebhookReceiver() {
    stop_ = true;
    boost::system::error_code ignored;
    net::ip::tcp::socket poke(ioc_);
    poke.connect(acceptor_.local_endpoint(), ignored);
    thread_.join();
  }
  std::string url() const {
    return "http://127.0.0.1:" +
           std::to_string(acceptor_.local_endpoint().port()) + "/hooks/warden";
  }
  http::request<http::string_body> Wait() {
    return delivered_.get_future().get();
  }
  int requests() const { return requests_; }

 private:
  void Serve() {
    while (!stop_) {
      net::ip::tcp::socket socket(ioc_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec || stop_) return;
      boost::beast::flat_buffer buffer;
      http::request<http::string_body> request;
      http::read(socket, buffer, request, ec);
      if (ec) continue;
      const bool fail = ++requests_ == 1;
      http::response<http::string_body> response(
          fail ? http::status::internal_server_error : http::status::ok, 11);
      response.prepare_payload();
      http::write(socket, response, ec);
      if (!fail && !done_) {
        done_ = true;
        delivered_.set_value(request);
      }
    }
  }
  net::io_context ioc_;
  net::ip::tcp::acceptor acceptor_;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  bool done_ = false;
  std::promise<http::request<http::string_body>> delivered_;
  std::thread thread_;
};

class BreakGlassServiceTest : public ServiceTestEnv {
 protected:
  void SetUp() override {
    ServiceTestEnv::SetUp();
    SeedTeam("payments");
    identity_ = SeedIdentity(*store_, clock_.Now(), "billing", "payments");
    keyring_ =
        std::make_unique<SecretKeyring>(secrets::KeyEncryptionKey::Generate());
    secrets_ = std::make_unique<SecretService>(*store_, *auditor_, *keyring_);
    webhooks_ = std::make_unique<WebhookNotifier>(WebhookConfig{
        receiver_.url(), "hook-secret", 5, std::chrono::milliseconds(10),
        std::chrono::milliseconds(2000), 100});
    service_ = std::make_unique<BreakGlassService>(*store_, *auditor_,
                                                   *secrets_, *webhooks_);
    ASSERT_TRUE(
        secrets_->Put(Admin(), {"db-password", "billing", "", "hunter2!"})
            .ok());
  }
  void TearDown() override {
    service_.reset();
    webhooks_.reset();
    secrets_.reset();
    ServiceTestEnv::TearDown();
  }
  void SetStatus(IdentityStatus status) {
    ASSERT_TRUE(store_
                    ->Write([&](Transaction& tx) -> Status {
                      WARDEN_ASSIGN_OR_RETURN(
                          Identity i, tx.identities().Get(identity_.id));
                      i.status = status;
                      i.version += 1;
                      return tx.identities().Update(i);
                    })
                    .ok());
  }
  IdentityStatus StatusNow() {
    IdentityStatus status{};
    EXPECT_TRUE(store_
                    ->Read([&](Transaction& tx) -> Status {
                      WARDEN_ASSIGN_OR_RETURN(
                          Identity i, tx.identities().Get(identity_.id));
                      status = i.status;
                      return Status::Ok();
                    })
                    .ok());
    return status;
  }

  WebhookReceiver receiver_;
  Identity identity_;
  std::unique_ptr<SecretKeyring> keyring_;
  std::unique_ptr<SecretService> secrets_;
  std::unique_ptr<WebhookNotifier> webhooks_;
  std::unique_ptr<BreakGlassService> service_;
};

TEST_F(BreakGlassServiceTest, SecretReadIsAuditedHighAndSignedWebhookArrives) {
  const Caller sec = As(Role::kSecurity, "sec-oncall");
  EXPECT_EQ(service_->ReadSecret(sec, "db-password", "").status().code(),
            StatusCode::kInvalidArgument);
  auto read = service_->ReadSecret(sec, "db-password",
                                   "INC-4711 primary database down");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->value.value, "hunter2!");
  const AuditRecord audit = LastAudit();
  EXPECT_EQ(audit.event.action, "break_glass.secret_read");
  EXPECT_EQ(Details(audit).at("severity").as_string(), "high");
  EXPECT_EQ(audit.event.details.find("hunter2"), std::string::npos);

  auto request = receiver_.Wait();
  EXPECT_GE(receiver_.requests(), 2);  // the first answer was a 500
  EXPECT_EQ(request.target(), "/hooks/warden");
  EXPECT_EQ(std::string(request["X-Warden-Signature"]),
            WebhookSignature("hook-secret", request.body()));
  EXPECT_NE(std::string(request["X-Warden-Signature"]),
            WebhookSignature("other-secret", request.body()));
  auto body = boost::json::parse(request.body()).as_object();
  EXPECT_EQ(body.at("type").as_string(), "break_glass.secret_read");
  EXPECT_EQ(body.at("actor").as_string(), "sec-oncall");
  EXPECT_EQ(request.body().find("hunter2"), std::string::npos);
  EXPECT_EQ(service_
                ->ReadSecret(As(Role::kAppOwner, "ann", "payments"),
                             "db-password", "I really need it now")
                .status()
                .code(),
            StatusCode::kPermissionDenied);
}

TEST_F(BreakGlassServiceTest, ReactivationIsTimeBoxedAndReturnsToSuspended) {
  const Caller sec = As(Role::kSecurity, "sec-oncall");
  EXPECT_EQ(service_
                ->Reactivate(sec, "billing", "INC-1 payments outage",
                             std::chrono::minutes(30))
                .status()
                .problem(),
            "identity-not-suspended");
  SetStatus(IdentityStatus::kSuspended);
  EXPECT_FALSE(service_
                   ->Reactivate(sec, "billing", "INC-1 payments outage",
                                std::chrono::hours(9))
                   .ok());
  auto record = service_->Reactivate(sec, "billing", "INC-1 payments outage",
                                     std::chrono::minutes(30));
  ASSERT_TRUE(record.ok()) << record.status().ToString();
  EXPECT_EQ(StatusNow(), IdentityStatus::kActive);
  clock_.Advance(std::chrono::minutes(29));
  EXPECT_EQ(*service_->ExpireDue(), 0);
  EXPECT_EQ(StatusNow(), IdentityStatus::kActive);
  clock_.Advance(std::chrono::minutes(2));
  EXPECT_EQ(*service_->ExpireDue(), 1);
  EXPECT_EQ(StatusNow(), IdentityStatus::kSuspended);
  EXPECT_EQ(LastAudit().event.action, "break_glass.expire");
  EXPECT_EQ(*service_->ExpireDue(), 0);
}

// Tokens issued while the identity was re-activated must stop working when
// the window ends: the OAuth server listens for the re-suspension.
TEST_F(BreakGlassServiceTest, ReSuspensionIsReportedToTheTransitionListener) {
  std::vector<Identity> heard;
  service_->set_transition_listener(
      [&heard](const Identity& identity) { heard.push_back(identity); });
  SetStatus(IdentityStatus::kSuspended);
  const Caller sec = As(Role::kSecurity, "sec-oncall");
  ASSERT_TRUE(service_
                  ->Reactivate(sec, "billing", "INC-2 payments outage",
                               std::chrono::minutes(10))
                  .ok());
  EXPECT_TRUE(heard.empty());
  clock_.Advance(std::chrono::minutes(11));
  EXPECT_EQ(*service_->ExpireDue(), 1);
  ASSERT_EQ(heard.size(), 1u);
  EXPECT_EQ(heard[0].name, "billing");
  EXPECT_EQ(heard[0].status, IdentityStatus::kSuspended);
}

// A later decision (here: a revocation during the window) stands, and the
// sweep reports nothing of its own.
TEST_F(BreakGlassServiceTest, ExpiryLeavesALaterDecisionAloneAndSilent) {
  int heard = 0;
  service_->set_transition_listener([&heard](const Identity&) { ++heard; });
  SetStatus(IdentityStatus::kSuspended);
  const Caller sec = As(Role::kSecurity, "sec-oncall");
  ASSERT_TRUE(service_
                  ->Reactivate(sec, "billing", "INC-3 payments outage",
                               std::chrono::minutes(10))
                  .ok());
  SetStatus(IdentityStatus::kRevoked);
  clock_.Advance(std::chrono::minutes(11));
  EXPECT_EQ(*service_->ExpireDue(), 1);
  EXPECT_EQ(StatusNow(), IdentityStatus::kRevoked);
  EXPECT_EQ(heard, 0);
}

TEST_F(BreakGlassServiceTest, StaysOnReportUntilSomeoneElseReviews) {
  const Caller sec = As(Role::kSecurity, "sec-oncall");
  auto read =
      service_->ReadSecret(sec, "db-password", "INC-4711 database down");
  ASSERT_TRUE(read.ok());
  auto open = service_->List(As(Role::kAuditor, "aud"), true);
  ASSERT_TRUE(open.ok());
  ASSERT_EQ(open->size(), 1u);
  auto self = service_->Review(sec, read->record.id, "fine");
  EXPECT_EQ(self.status().problem(), "self-review");
  // A user-less token reviews nothing, whatever its role.
  EXPECT_EQ(
      service_->Review(As(Role::kAuditor, "token:t9"), read->record.id, "fine")
          .status()
          .problem(),
      "human-decision-required");
  EXPECT_EQ(service_->List(Admin(), true)->size(), 1u);
  auto reviewed =
      service_->Review(As(Role::kAuditor, "aud"), read->record.id, "justified");
  ASSERT_TRUE(reviewed.ok()) << reviewed.status().ToString();
  EXPECT_EQ(reviewed->reviewed_by, "aud");
  EXPECT_TRUE(service_->List(Admin(), true)->empty());
  EXPECT_EQ(service_->List(Admin(), false)->size(), 1u);
  EXPECT_EQ(
      service_->Review(Admin(), read->record.id, "again").status().problem(),
      "already-reviewed");
}

}  // namespace
}  // namespace warden::custody
