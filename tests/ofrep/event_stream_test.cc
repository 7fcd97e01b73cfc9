// The OFREP eventStreams extension end to end: the bulk answer hands out a
// ticketed SSE URL; a change (exposure limit, flag) arrives as a
// refetchEvaluation event whose id is the revision; the re-fetch with
// sseEtag/sseLastModified reflects it; Last-Event-ID resume; ticket
// tampering, expiry, revocation and tenant/environment binding.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <thread>

#include "../integration/server_fixture.h"
#include "sse_reader.h"

namespace warden::testing_http {
namespace {

namespace json = boost::json;

constexpr char kFlagd[] = R"({"flags": {
  "dark-mode": {"state": "ENABLED", "variants": {"on": true, "off": false},
                "defaultVariant": "on"}}})";
constexpr char kAcmeContext[] = R"({"context":{"targetingKey":"acme"}})";

int64_t Revision(const std::string& id) {
  return std::stoll(id.substr(id.find('-') + 1));
}

// The next event with data: skips the opening `retry:` block.
std::optional<SseEvent> NextNotice(SseReader& reader) {
  std::optional<SseEvent> event;
  do {
    event = reader.Next();
  } while (event && event->data.empty());
  return event;
}

class OfrepEventStreamTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    HttpReply imported =
        client_->Send("POST", "/v1/flags/import?environment=development",
                      admin_token_, kFlagd);
    ASSERT_EQ(imported.status, 200) << imported.body;
    HttpReply token = CreateSdkToken();
    sdk_token_ = std::string(token.json().at("token").as_string());
    sdk_token_id_ = std::string(token.json().at("id").as_string());
  }

  HttpReply CreateSdkToken(const std::string& tenant = {}) {
    json::object body{{"role", "sdk"}, {"environment", "development"}};
    if (!tenant.empty()) body["tenant"] = tenant;
    HttpReply reply = client_->Post("/v1/tokens", admin_token_, body);
    EXPECT_EQ(reply.status, 201) << reply.body;
    return reply;
  }

  HttpReply Bulk(const std::string& token, const std::string& query = {},
                 const std::string& body = kAcmeContext) {
    return client_->Send("POST", "/ofrep/v1/evaluate/flags" + query, {}, body,
                         {{"X-API-Key", token}});
  }

  // The eventStreams URL of a bulk answer (asserts its shape).
  std::string EventUrl(const std::string& token) {
    HttpReply bulk = Bulk(token);
    EXPECT_EQ(bulk.status, 200) << bulk.body;
    const json::value body = bulk.json();
    const json::value* streams = body.as_object().if_contains("eventStreams");
    if (streams == nullptr || streams->as_array().size() != 1) {
      ADD_FAILURE() << "no eventStreams: " << bulk.body;
      return {};
    }
    const json::object& stream = streams->as_array()[0].as_object();
    EXPECT_EQ(stream.at("type").as_string(), "sse");
    EXPECT_EQ(stream.at("inactivityDelaySec").as_int64(), 120);
    return std::string(stream.at("url").as_string());
  }

  HttpReply AddLimit(const std::string& tenant) {
    HttpReply reply = client_->Post(
        "/v1/limits", admin_token_,
        json::object{
            {"scope", "tenant"}, {"values", {tenant}}, {"reason", "incident"}});
    EXPECT_EQ(reply.status, 201) << reply.body;
    return reply;
  }

  std::string sdk_token_;
  std::string sdk_token_id_;
};

TEST_F(OfrepEventStreamTest, BulkAnswerCarriesATicketedUrlNotTheToken) {
  const std::string url = EventUrl(sdk_token_);
  EXPECT_TRUE(url.starts_with("/ofrep/v1/events?ticket=")) << url;
  EXPECT_EQ(url.find(sdk_token_), std::string::npos);
  EXPECT_EQ(url.find(sdk_token_.substr(4)), std::string::npos);
}

// The ticket differs per answer; the ETag must not, and 304 still works.
TEST_F(OfrepEventStreamTest, EtagIgnoresTheEventStreams) {
  HttpReply first = Bulk(sdk_token_);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  HttpReply second = Bulk(sdk_token_);
  ASSERT_EQ(second.status, 200);
  EXPECT_NE(first.body, second.body);  // a fresh ticket each time
  EXPECT_EQ(first.header("etag"), second.header("etag"));
  HttpReply cached = client_->Send(
      "POST", "/ofrep/v1/evaluate/flags", {}, kAcmeContext,
      {{"X-API-Key", sdk_token_}, {"If-None-Match", first.header("etag")}});
  EXPECT_EQ(cached.status, 304);
}

TEST_F(OfrepEventStreamTest, LimitChangeDeliversRefetchAndRefetchSeesIt) {
  SseReader reader(app_->port(), EventUrl(sdk_token_), "");
  ASSERT_EQ(reader.status(), 200) << reader.header();
  EXPECT_NE(reader.header().find("text/event-stream"), std::string::npos);

  AddLimit("acme");
  std::optional<SseEvent> event = NextNotice(reader);
  ASSERT_TRUE(event.has_value());
  EXPECT_EQ(event->event, "message");
  const json::object data = json::parse(event->data).as_object();
  EXPECT_EQ(data.at("type").as_string(), "refetchEvaluation");
  const std::string etag(data.at("etag").as_string());
  EXPECT_FALSE(etag.empty());
  const int64_t modified = data.at("lastModified").as_int64();
  EXPECT_GT(modified, 1'600'000'000);

  HttpReply refetch =
      Bulk(sdk_token_, "?sseEtag=" + etag.substr(1, etag.size() - 2) +
                           "&sseLastModified=" + std::to_string(modified));
  ASSERT_EQ(refetch.status, 200) << refetch.body;
  EXPECT_EQ(refetch.json().at("flags").at(0).at("reason").as_string(),
            "LIMITED");

  // A flag change: the next event's id advances.
  HttpReply flag =
      client_->Send("POST", "/v1/flags/import?environment=development",
                    admin_token_, R"({"flags": {"other": {"state": "ENABLED",
                      "variants": {"a": 1}, "defaultVariant": "a"}}})");
  ASSERT_EQ(flag.status, 200) << flag.body;
  std::optional<SseEvent> next = NextNotice(reader);
  ASSERT_TRUE(next.has_value());
  EXPECT_GT(Revision(next->id), Revision(event->id));
}

TEST_F(OfrepEventStreamTest, MalformedSseQueryIs400NotIgnored) {
  HttpReply bad = Bulk(sdk_token_, "?sseLastModified=yesterday");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(bad.json().at("errorCode").as_string(), "GENERAL");
  HttpReply huge = Bulk(sdk_token_, "?sseEtag=" + std::string(500, 'x'));
  EXPECT_EQ(huge.status, 400);
}

TEST_F(OfrepEventStreamTest, ResumeSendsOneRefetchOnlyWhenBehind) {
  const std::string url = EventUrl(sdk_token_);
  std::string seen;
  {
    SseReader reader(app_->port(), url, "");
    AddLimit("acme");
    std::optional<SseEvent> event = NextNotice(reader);
    ASSERT_TRUE(event.has_value());
    seen = event->id;
  }
  // Current: nothing until the next change, which then arrives alone.
  {
    SseReader current(app_->port(), url, "", seen, std::chrono::seconds(2));
    ASSERT_EQ(current.status(), 200);
    EXPECT_FALSE(NextNotice(current).has_value());
  }
  AddLimit("beta");
  AddLimit("gamma");
  SseReader behind(app_->port(), url, "", seen);
  std::optional<SseEvent> refetch = NextNotice(behind);
  ASSERT_TRUE(refetch.has_value());
  EXPECT_EQ(Revision(refetch->id), Revision(seen) + 2);
  // An id from another run is "behind" too.
  SseReader foreign(app_->port(), url, "", "otherrun-3");
  std::optional<SseEvent> again = NextNotice(foreign);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->id, refetch->id);
}

TEST_F(OfrepEventStreamTest, NoLastEventIdMeansNoInitialEventButRetryHint) {
  SseReader reader(app_->port(), EventUrl(sdk_token_), "", {},
                   std::chrono::seconds(2));
  ASSERT_EQ(reader.status(), 200);
  // The retry hint is a field-only block; no data, no event.
  std::optional<SseEvent> first = reader.Next();
  ASSERT_TRUE(first.has_value());
  EXPECT_TRUE(first->data.empty());
  EXPECT_TRUE(first->id.empty());
  EXPECT_FALSE(reader.Next().has_value());
}

TEST_F(OfrepEventStreamTest, HeaderCredentialsWorkToo) {
  SseReader reader(app_->port(), "/ofrep/v1/events", sdk_token_);
  ASSERT_EQ(reader.status(), 200) << reader.header();
  AddLimit("acme");
  std::optional<SseEvent> event = NextNotice(reader);
  ASSERT_TRUE(event.has_value());
  EXPECT_NE(event->data.find("refetchEvaluation"), std::string::npos);
  EXPECT_EQ(SseReader(app_->port(), "/ofrep/v1/events", "").status(), 401);
}

TEST_F(OfrepEventStreamTest, TamperedOrMalformedTicketIs401ProblemJson) {
  std::string url = EventUrl(sdk_token_);
  const size_t dot = url.find('.');
  ASSERT_NE(dot, std::string::npos);
  std::string tampered = url;
  tampered[dot - 3] = tampered[dot - 3] == 'A' ? 'B' : 'A';
  for (const std::string& target :
       {tampered, url + "x", url.substr(0, dot),
        std::string("/ofrep/v1/events?ticket="),
        std::string("/ofrep/v1/events?ticket=") + std::string(5000, 'a'),
        std::string("/ofrep/v1/events?ticket=%00.%00")}) {
    HttpReply reply = client_->Get(target);
    EXPECT_EQ(reply.status, 401) << target;
    EXPECT_EQ(reply.content_type(), "application/problem+json") << target;
    EXPECT_EQ(reply.body.find("ticket="), std::string::npos) << reply.body;
  }
}

TEST_F(OfrepEventStreamTest, RevokedTokenClosesTheStreamAndVoidsTheTicket) {
  const std::string url = EventUrl(sdk_token_);
  SseReader reader(app_->port(), url, "");
  ASSERT_EQ(reader.status(), 200);
  HttpReply revoked = client_->Post("/v1/tokens/" + sdk_token_id_ + "/revoke",
                                    admin_token_, json::object{});
  ASSERT_LT(revoked.status, 300) << revoked.body;
  EXPECT_TRUE(reader.WaitClosed());
  HttpReply again = client_->Get(url);
  EXPECT_EQ(again.status, 401) << again.body;
}

TEST_F(OfrepEventStreamTest, TenantBoundTicketStaysInItsEnvironment) {
  HttpReply token = CreateSdkToken("acme");
  const std::string secret(token.json().at("token").as_string());
  const std::string url = EventUrl(secret);
  HttpReply refused = client_->Get(url + "&environment=production");
  EXPECT_EQ(refused.status, 403);
  // The refusal of an authenticated principal is audited.
  EXPECT_EQ(AuditRecordsFor(refused.header("x-request-id")), 1);
  SseReader reader(app_->port(), url, "");
  EXPECT_EQ(reader.status(), 200);
}

TEST_F(OfrepEventStreamTest, StreamOpenIsAudited) {
  SseReader reader(app_->port(), EventUrl(sdk_token_), "");
  ASSERT_EQ(reader.status(), 200);
  const size_t at = reader.header().find("X-Request-Id: ");
  ASSERT_NE(at, std::string::npos) << reader.header();
  const std::string id =
      reader.header().substr(at + 14, reader.header().find('\r', at) - at - 14);
  EXPECT_EQ(AuditRecordsFor(id), 1);
}

class OfrepEventTicketExpiryTest : public OfrepEventStreamTest {
 protected:
  void Configure(server::ServerOptions& options) override {
    options.ofrep_event_ticket_ttl = std::chrono::seconds(1);
  }
};

TEST_F(OfrepEventTicketExpiryTest, ExpiredTicketIs401) {
  const std::string url = EventUrl(sdk_token_);
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  HttpReply reply = client_->Get(url);
  EXPECT_EQ(reply.status, 401) << reply.body;
  EXPECT_NE(reply.body.find("expired"), std::string::npos) << reply.body;
}

// A provider that revalidates with If-None-Match must not keep a ticket
// past its lifetime: the ETag moves with the ticket epoch (half the
// lifetime), so it gets a 200 with a fresh, working ticket in time.
TEST_F(OfrepEventTicketExpiryTest, RevalidationHandsOutAFreshTicket) {
  HttpReply first = Bulk(sdk_token_);
  ASSERT_EQ(first.status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  HttpReply again = client_->Send(
      "POST", "/ofrep/v1/evaluate/flags", {}, kAcmeContext,
      {{"X-API-Key", sdk_token_}, {"If-None-Match", first.header("etag")}});
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_NE(again.header("etag"), first.header("etag"));
  const json::value body = again.json();
  const std::string url(body.as_object()
                            .at("eventStreams")
                            .as_array()[0]
                            .as_object()
                            .at("url")
                            .as_string());
  SseReader reader(app_->port(), url, "");
  EXPECT_EQ(reader.status(), 200);
}

}  // namespace
}  // namespace warden::testing_http
