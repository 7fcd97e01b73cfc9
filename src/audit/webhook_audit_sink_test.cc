// The webhook sink against a real HTTP receiver on loopback.
#include "audit/webhook_audit_sink.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <boost/json/parse.hpp>

#include "audit/audit_sink_test_receivers.h"

namespace warden {
namespace {

using namespace std::chrono_literals;
using testing_sinks::WebhookReceiver;
using testing_sinks::WebhookRequest;

const std::string kKey = "0123456789abcdef0123456789abcdef";

AuditRecord Record(int64_t sequence) {
  AuditRecord record;
  record.sequence = sequence;
  record.event.time = FromMicros(1'765'100'000'000'000);
  record.event.actor = "root";
  record.event.action = "test.event";
  record.event.target = "thing";
  record.event.outcome = "ok";
  record.event.details = "{}";
  record.prev_hash = "p" + std::to_string(sequence);
  record.hash = "h" + std::to_string(sequence);
  return record;
}

// The receiver's side of Standard Webhooks, written out independently:
// HMAC-SHA256 over id.timestamp.body, base64 (standard alphabet).
std::string ExpectedSignature(const WebhookRequest& request) {
  const std::string signed_content = request.headers.at("webhook-id") + "." +
                                     request.headers.at("webhook-timestamp") +
                                     "." + request.body;
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(
      &state, reinterpret_cast<const unsigned char*>(kKey.data()), kKey.size());
  crypto_auth_hmacsha256_update(
      &state, reinterpret_cast<const unsigned char*>(signed_content.data()),
      signed_content.size());
  crypto_auth_hmacsha256_final(&state, mac);
  char b64[sodium_base64_ENCODED_LEN(sizeof(mac),
                                     sodium_base64_VARIANT_ORIGINAL)];
  sodium_bin2base64(b64, sizeof(b64), mac, sizeof(mac),
                    sodium_base64_VARIANT_ORIGINAL);
  return std::string("v1,") + b64;
}

TEST(WebhookAuditSinkTest, PostsASignedBatch) {
  WebhookReceiver receiver;
  ManualClock clock(FromMicros(1'765'100'000'000'000));
  WebhookAuditSink sink(receiver.url(), kKey, 2s, clock);
  std::vector<AuditRecord> batch = {Record(5), Record(6), Record(7)};
  ASSERT_TRUE(sink.Deliver(batch).ok());
  ASSERT_EQ(receiver.requests().size(), 1u);
  const WebhookRequest request = receiver.requests()[0];
  EXPECT_EQ(request.target, "/audit");
  EXPECT_EQ(request.headers.at("content-type"), "application/json");
  EXPECT_EQ(request.headers.at("webhook-id"), "audit-5-7");
  EXPECT_EQ(request.headers.at("webhook-timestamp"), "1765100000");
  EXPECT_EQ(request.headers.at("webhook-signature"),
            ExpectedSignature(request));
  boost::json::value body = boost::json::parse(request.body);
  const auto& records = body.at("records").as_array();
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].at("sequence").as_int64(), 5);
  EXPECT_EQ(records[2].at("hash").as_string(), "h7");
  EXPECT_EQ(records[2].at("prev_hash").as_string(), "p7");
}

TEST(WebhookAuditSinkTest, ANon2xxAnswerFailsTheBatch) {
  WebhookReceiver receiver;
  receiver.set_status(503);
  SystemClock clock;
  WebhookAuditSink sink(receiver.url(), kKey, 2s, clock);
  std::vector<AuditRecord> batch = {Record(1)};
  const Status status = sink.Deliver(batch);
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_NE(status.message().find("503"), std::string::npos);
  receiver.set_status(204);
  EXPECT_TRUE(sink.Deliver(batch).ok());
}

TEST(WebhookAuditSinkTest, KeysFromSecretFiles) {
  auto raw = WebhookKeyFromSecret(kKey + "\n");
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(*raw, kKey);
  // Standard Webhooks' form: whsec_ + base64 of the key bytes.
  auto decoded = WebhookKeyFromSecret(
      "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, kKey);
  EXPECT_FALSE(WebhookKeyFromSecret("short").ok());
  EXPECT_FALSE(WebhookKeyFromSecret("whsec_!!!notbase64!!!").ok());
}

}  // namespace
}  // namespace warden
