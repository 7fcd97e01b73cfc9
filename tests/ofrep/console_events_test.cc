// GET /v1/events: the console's change notices, for any role that reads
// flags, one small event per published revision.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "../integration/http_client.h"
#include "../integration/server_fixture.h"
#include "sse_reader.h"

namespace warden::testing_http {
namespace {

namespace json = boost::json;

std::optional<SseEvent> NextNotice(SseReader& reader) {
  std::optional<SseEvent> event;
  do {
    event = reader.Next();
  } while (event && event->data.empty());
  return event;
}

class ConsoleEventsTest : public ServerFixture {};

TEST_F(ConsoleEventsTest, AReaderHearsALimitAsOneNotice) {
  const std::string auditor = "Bearer " + CreateToken("auditor");
  SseReader reader(app_->port(), "/v1/events?environment=development", auditor);
  ASSERT_EQ(reader.status(), 200);
  EXPECT_NE(reader.header().find("text/event-stream"), std::string::npos);
  HttpReply limit = client_->Post(
      "/v1/limits", admin_token_,
      json::object{
          {"scope", "tenant"}, {"values", {"acme"}}, {"reason", "incident"}});
  ASSERT_EQ(limit.status, 201) << limit.body;
  std::optional<SseEvent> event = NextNotice(reader);
  ASSERT_TRUE(event.has_value());
  EXPECT_EQ(event->event, "change");
  const json::object data = json::parse(event->data).as_object();
  EXPECT_EQ(data.at("environment").as_string(), "development");
  EXPECT_GT(data.at("revision").as_int64(), 0);
  EXPECT_EQ(data.at("change").at("kind").as_string(), "limit.set");
  // No configuration travels on this stream.
  EXPECT_EQ(event->data.find("\"flags\""), std::string::npos);
}

TEST_F(ConsoleEventsTest, ResumeBehindGetsOneNoticeAtOnce) {
  const std::string auditor = "Bearer " + CreateToken("auditor");
  std::string id;
  {
    SseReader reader(app_->port(), "/v1/events?environment=development",
                     auditor);
    ASSERT_EQ(reader.status(), 200);
    client_->Post(
        "/v1/limits", admin_token_,
        json::object{
            {"scope", "tenant"}, {"values", {"acme"}}, {"reason", "incident"}});
    std::optional<SseEvent> event = NextNotice(reader);
    ASSERT_TRUE(event.has_value());
    id = event->id;
  }
  client_->Post(
      "/v1/limits", admin_token_,
      json::object{
          {"scope", "tenant"}, {"values", {"globex"}}, {"reason", "incident"}});
  SseReader resumed(app_->port(), "/v1/events?environment=development", auditor,
                    id);
  ASSERT_EQ(resumed.status(), 200);
  std::optional<SseEvent> event = NextNotice(resumed);
  ASSERT_TRUE(event.has_value());
  EXPECT_NE(event->id, id);
}

TEST_F(ConsoleEventsTest, EveryFlagReaderMayListenAndOthersAreRefused) {
  for (const std::string& role :
       {"admin", "security", "account_manager", "auditor"}) {
    SseReader reader(app_->port(), "/v1/events", "Bearer " + CreateToken(role));
    EXPECT_EQ(reader.status(), 200) << role;
  }
  for (const std::string& token :
       {CreateToken("deploy"), CreateToken("sdk", "", "development")}) {
    HttpReply refused = client_->Get("/v1/events", token);
    EXPECT_EQ(refused.status, 403) << refused.body;
    EXPECT_EQ(AuditRecordsFor(refused.header("x-request-id")), 1);
  }
}

TEST_F(ConsoleEventsTest, RefusalsAreProblems) {
  EXPECT_EQ(client_->Get("/v1/events").status, 401);
  HttpReply bad =
      client_->Get("/v1/events?environment=moon", CreateToken("auditor"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.content_type(), "application/problem+json");
}

}  // namespace
}  // namespace warden::testing_http
