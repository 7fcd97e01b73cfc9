// GET /v1/stream end to end: the full configuration first (id = revision),
// then every change as a patch of the sections it changed; Last-Event-ID
// resumes from history (patches) or falls back to the full state;
// credentials; shutdown closes open streams.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "../integration/server_fixture.h"
#include "api/sse_stream.h"
#include "sse_reader.h"

namespace warden::testing_http {
namespace {

namespace json = boost::json;

constexpr char kTarget[] = "/v1/stream?environment=development";

class StreamTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    sdk_token_ = CreateToken("sdk", "", "development");
  }

  void AddTenant(const std::string& key) {
    HttpReply reply =
        client_->Post("/v1/tenants", admin_token_, json::object{{"key", key}});
    ASSERT_EQ(reply.status, 201) << reply.body;
  }

  std::string sdk_token_;
};

json::object Data(const SseEvent& event) {
  return json::parse(event.data).as_object();
}

// Event ids are "RUN-REVISION".
int64_t Revision(const std::string& id) {
  return std::stoll(id.substr(id.find('-') + 1));
}
int64_t Revision(const SseEvent& event) { return Revision(event.id); }

TEST_F(StreamTest, SendsFullConfigurationThenEveryChange) {
  SseReader reader(app_->port(), kTarget, sdk_token_);
  ASSERT_EQ(reader.status(), 200) << reader.header();
  EXPECT_NE(reader.header().find("text/event-stream"), std::string::npos);
  std::optional<SseEvent> first = reader.Next();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->event, "config");
  const json::object data = Data(*first);
  const int64_t revision = data.at("revision").as_int64();
  EXPECT_EQ(Revision(*first), revision);
  EXPECT_EQ(data.at("config").at("revision").as_int64(), revision);
  EXPECT_EQ(data.at("config").at("environment").as_string(), "development");

  AddTenant("acme");
  std::optional<SseEvent> change = reader.Next();
  ASSERT_TRUE(change.has_value());
  EXPECT_EQ(change->event, "change");
  EXPECT_EQ(Revision(*change), revision + 1);
  const json::object changed = Data(*change);
  EXPECT_TRUE(changed.at("change").is_object());
  EXPECT_EQ(changed.at("base").as_int64(), revision);
  EXPECT_EQ(changed.at("revision").as_int64(), revision + 1);
  EXPECT_FALSE(changed.contains("config"));
  const json::object& patch = changed.at("patch").as_object();
  EXPECT_EQ(patch.size(), 1u) << json::serialize(patch);
  EXPECT_EQ(patch.at("tenants").as_array().size(), 1u);
}

// The kill switch ships the limits only, however many tenants exist; the
// patch applied to the first configuration gives the full state a new
// subscriber receives.
TEST_F(StreamTest, ALimitShipsOnlyTheLimits) {
  for (int i = 0; i < 50; ++i) AddTenant("tenant-" + std::to_string(i));
  SseReader reader(app_->port(), kTarget, sdk_token_);
  std::optional<SseEvent> first = reader.Next();
  ASSERT_TRUE(first.has_value());
  json::object config = Data(*first).at("config").as_object();

  HttpReply limit =
      client_->Post("/v1/limits", admin_token_,
                    json::object{{"scope", "tenant"},
                                 {"values", json::array{"tenant-1"}},
                                 {"reason", "leak"}});
  ASSERT_EQ(limit.status, 201) << limit.body;
  std::optional<SseEvent> change = reader.Next();
  ASSERT_TRUE(change.has_value());
  EXPECT_EQ(change->event, "change");
  EXPECT_LT(change->data.size() * 10, first->data.size());
  const json::object data = Data(*change);
  ASSERT_EQ(data.at("base").as_int64(), config.at("revision").as_int64());
  const json::object& patch = data.at("patch").as_object();
  ASSERT_EQ(patch.size(), 1u) << json::serialize(patch);
  ASSERT_EQ(patch.at("limits").as_array().size(), 1u);
  EXPECT_EQ(patch.at("limits").at(0).at("id"), limit.json().at("id"));
  for (const auto& [key, value] : patch) config[key] = value;
  config["revision"] = data.at("revision");

  SseReader fresh(app_->port(), kTarget, sdk_token_);
  std::optional<SseEvent> full = fresh.Next();
  ASSERT_TRUE(full.has_value());
  EXPECT_EQ(json::serialize(config), json::serialize(Data(*full).at("config")));
}

// A tenant-bound token receives its tenant's view, and no
// byte about another tenant, in the first state and in every later one.
TEST_F(StreamTest, TenantBoundTokenSeesOnlyItsTenant) {
  for (const char* manager : {"am-alice", "am-carol"}) {
    ASSERT_EQ(
        client_
            ->Post("/v1/users", admin_token_,
                   json::object{{"name", manager}, {"role", "account_manager"}})
            .status,
        201);
  }
  for (const char* body :
       {R"({"key": "acme", "account_manager": "am-alice",
            "attributes": {"region": "eu"}, "integrations": ["sap"]})",
        R"({"key": "globex-secret", "account_manager": "am-carol",
            "attributes": {"region": "globex-region"},
            "integrations": ["globex-crm"]})"}) {
    HttpReply reply = client_->Send("POST", "/v1/tenants", admin_token_, body);
    ASSERT_EQ(reply.status, 201) << reply.body;
  }
  HttpReply segment = client_->Post(
      "/v1/segments", admin_token_,
      json::object{{"key", "beta"}, {"tenants", {"acme", "globex-secret"}}});
  ASSERT_EQ(segment.status, 201) << segment.body;
  for (const json::object& limit :
       {json::object{{"scope", "tenant"},
                     {"values", {"globex-secret", "acme"}},
                     {"reason", "globex-incident-reason"}},
        json::object{{"scope", "account_owner"},
                     {"values", {"am-carol"}},
                     {"reason", "carol's accounts"}}}) {
    ASSERT_EQ(client_->Post("/v1/limits", admin_token_, limit).status, 201);
  }
  const std::string token = CreateTenantToken("acme");
  SseReader reader(app_->port(), kTarget, token);
  ASSERT_EQ(reader.status(), 200) << reader.header();
  auto expect_only_acme = [](const SseEvent& event) {
    EXPECT_EQ(event.event, "config");
    for (const char* foreign : {"globex", "am-carol", "carol's"}) {
      EXPECT_EQ(event.data.find(foreign), std::string::npos)
          << foreign << " leaked: " << event.data;
    }
    const json::object config = Data(event).at("config").as_object();
    EXPECT_EQ(config.at("tenant").as_string(), "acme");
    ASSERT_EQ(config.at("tenants").as_array().size(), 1u);
    EXPECT_EQ(config.at("tenants").at(0).at("account_manager").as_string(),
              "am-alice");
    EXPECT_EQ(config.at("segments").at(0).at("tenants"), json::array{"acme"});
    const json::array& limits = config.at("limits").as_array();
    ASSERT_EQ(limits.size(), 1u) << json::serialize(limits);
    EXPECT_EQ(limits.at(0).at("values"), json::array{"acme"});
    EXPECT_EQ(limits.at(0).at("reason").as_string(), "");
  };
  std::optional<SseEvent> first = reader.Next();
  ASSERT_TRUE(first.has_value());
  expect_only_acme(*first);

  // Another tenant's change arrives as acme's whole (unchanged) view.
  HttpReply patched =
      client_->Send("PATCH", "/v1/tenants/globex-secret", admin_token_,
                    R"({"attributes": {"region": "globex-new-region"}})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  std::optional<SseEvent> next = reader.Next();
  ASSERT_TRUE(next.has_value());
  expect_only_acme(*next);
  EXPECT_GT(Revision(*next), Revision(*first));

  // Server-side sdk tokens keep the whole environment.
  SseReader whole(app_->port(), kTarget, sdk_token_);
  std::optional<SseEvent> full = whole.Next();
  ASSERT_TRUE(full.has_value());
  EXPECT_NE(full->data.find("globex-secret"), std::string::npos);
}

TEST_F(StreamTest, ResumesFromLastEventId) {
  std::string start;
  {
    SseReader reader(app_->port(), kTarget, sdk_token_);
    std::optional<SseEvent> first = reader.Next();
    ASSERT_TRUE(first.has_value());
    start = first->id;
  }
  AddTenant("a");
  AddTenant("b");
  SseReader resumed(app_->port(), kTarget, sdk_token_, start);
  ASSERT_EQ(resumed.status(), 200);
  for (int i = 1; i <= 2; ++i) {
    std::optional<SseEvent> event = resumed.Next();
    ASSERT_TRUE(event.has_value());
    EXPECT_EQ(event->event, "change");
    EXPECT_EQ(Revision(*event), Revision(start) + i);
    EXPECT_EQ(Data(*event).at("base").as_int64(), Revision(start) + i - 1);
    EXPECT_TRUE(Data(*event).at("patch").as_object().contains("tenants"));
  }
  const std::string run = start.substr(0, start.find('-'));
  for (const std::string& id :
       {run + "-999999", std::string("otherrun-1"), std::string("garbage")}) {
    SseReader unknown(app_->port(), kTarget, sdk_token_, id);
    std::optional<SseEvent> full = unknown.Next();
    ASSERT_TRUE(full.has_value()) << id;
    EXPECT_EQ(full->event, "config") << id;
    EXPECT_EQ(Revision(*full), Revision(start) + 2) << id;
  }
}

TEST_F(StreamTest, RefusesMissingAndWrongCredentials) {
  EXPECT_EQ(SseReader(app_->port(), kTarget, "").status(), 401);
  EXPECT_EQ(SseReader(app_->port(), kTarget, CreateToken("auditor")).status(),
            403);
  EXPECT_EQ(
      SseReader(app_->port(), "/v1/stream?environment=production", sdk_token_)
          .status(),
      403);
}

// 15 s: the period is fixed (kSseHeartbeatPeriod); the reader waits 20 s.
TEST_F(StreamTest, SendsHeartbeatsWhileIdle) {
  SseReader reader(app_->port(), kTarget, sdk_token_, {},
                   std::chrono::seconds(20));
  ASSERT_TRUE(reader.Next().has_value());
  EXPECT_TRUE(reader.WaitForComment("heartbeat"));
}

// A consumer that stops reading is disconnected once kMaxQueuedSseEvents
// events wait for it, instead of the server buffering without bound.
TEST_F(StreamTest, DisconnectsASlowConsumer) {
  json::array members;
  for (int i = 0; i < 10000; ++i) {
    members.emplace_back("tenant-with-a-long-key-" + std::to_string(i));
  }
  HttpReply segment = client_->Post(
      "/v1/segments", admin_token_,
      json::object{{"key", "big"}, {"tenants", std::move(members)}});
  ASSERT_EQ(segment.status, 201) << segment.body;
  SseReader slow(app_->port(), kTarget, sdk_token_, {},
                 std::chrono::seconds(30), /*receive_buffer=*/4096);
  ASSERT_EQ(slow.status(), 200);
  // Each change patches the segments section, ~300 KB per event: the
  // kernel buffers hold far fewer than these.
  for (size_t i = 0; i < api::kMaxQueuedSseEvents + 60; ++i) {
    HttpReply added = client_->Post(
        "/v1/segments/big/tenants", admin_token_,
        json::object{{"tenants", json::array{"t" + std::to_string(i)}}});
    ASSERT_LT(added.status, 300) << added.body;
  }
  EXPECT_TRUE(slow.WaitClosed());
}

TEST_F(StreamTest, StopClosesOpenStreams) {
  SseReader reader(app_->port(), kTarget, sdk_token_);
  ASSERT_TRUE(reader.Next().has_value());
  app_->Stop();
  EXPECT_TRUE(reader.WaitClosed());
}

// Found in review: revoking a token left its open streams delivering
// configuration. A credentials change now closes every open stream; the
// revoked token cannot reconnect.
TEST_F(StreamTest, RevokingATokenClosesOpenStreams) {
  HttpReply created = client_->Post(
      "/v1/tokens", admin_token_,
      boost::json::object{{"role", "sdk"}, {"environment", "development"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string secret(created.json().at("token").as_string());
  const std::string id(created.json().at("id").as_string());
  SseReader reader(app_->port(), kTarget, secret);
  ASSERT_TRUE(reader.Next().has_value());

  HttpReply revoked = client_->Post("/v1/tokens/" + id + "/revoke",
                                    admin_token_, boost::json::object{});
  ASSERT_LT(revoked.status, 300) << revoked.body;
  EXPECT_TRUE(reader.WaitClosed());
  EXPECT_EQ(SseReader(app_->port(), kTarget, secret).status(), 401);
}

}  // namespace
}  // namespace warden::testing_http
