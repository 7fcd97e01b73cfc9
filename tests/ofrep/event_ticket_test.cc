// OfrepEventTicketSigner and the refetchEvaluation format, without a
// server: round trip, tampering, expiry at the second boundary, foreign
// keys, malformed payloads, and the resume rules of the SSE opening.
#include <gtest/gtest.h>

#include "api/ofrep_event_format.h"
#include "api/ofrep_event_ticket.h"
#include "core/crypto.h"

namespace warden {
namespace {

constexpr int64_t kNow = 1'700'000'000;

Timestamp At(int64_t unix_seconds) {
  return Timestamp(std::chrono::seconds(unix_seconds));
}

api::OfrepEventTicket Ticket() {
  return {"tok123", Environment::kStaging, "acme", kNow + 60};
}

TEST(OfrepEventTicketTest, RoundTripsEveryField) {
  api::OfrepEventTicketSigner signer =
      api::OfrepEventTicketSigner::WithRandomKey();
  Result<api::OfrepEventTicket> ticket =
      signer.Verify(signer.Mint(Ticket()), At(kNow));
  ASSERT_TRUE(ticket.ok()) << ticket.status().ToString();
  EXPECT_EQ(ticket->token_id, "tok123");
  EXPECT_EQ(ticket->environment, Environment::kStaging);
  EXPECT_EQ(ticket->tenant, "acme");
  EXPECT_EQ(ticket->expires_at, kNow + 60);
}

TEST(OfrepEventTicketTest, ExpiresAtItsSecond) {
  api::OfrepEventTicketSigner signer("k");
  const std::string text = signer.Mint(Ticket());
  EXPECT_TRUE(signer.Verify(text, At(kNow + 59)).ok());
  Result<api::OfrepEventTicket> expired = signer.Verify(text, At(kNow + 60));
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(expired.status().message().find("expired"), std::string::npos);
}

TEST(OfrepEventTicketTest, RefusesAnotherKeyAndAnyTampering) {
  api::OfrepEventTicketSigner signer("key-one");
  const std::string text = signer.Mint(Ticket());
  EXPECT_FALSE(
      api::OfrepEventTicketSigner("key-two").Verify(text, At(kNow)).ok());
  // A payload re-signed by nobody: the tenant swapped, the MAC kept.
  api::OfrepEventTicket other = Ticket();
  other.tenant = "globex";
  const std::string forged =
      Base64UrlEncode(api::OfrepEventTicketPayload(other)) +
      text.substr(text.find('.'));
  EXPECT_FALSE(signer.Verify(forged, At(kNow)).ok());
  for (size_t i = 0; i < text.size(); i += 7) {
    std::string flipped = text;
    flipped[i] = flipped[i] == 'A' ? 'B' : 'A';
    Result<api::OfrepEventTicket> r = signer.Verify(flipped, At(kNow));
    EXPECT_FALSE(r.ok()) << i;
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), StatusCode::kUnauthenticated);
      EXPECT_EQ(r.status().message().find(text), std::string::npos);
    }
  }
}

TEST(OfrepEventTicketTest, ReplicasSharingASecretAcceptEachOthersTickets) {
  const std::string kek(32, 'k');
  const auto minted = api::OfrepEventTicketSigner::DerivedFrom(kek);
  const auto replica = api::OfrepEventTicketSigner::DerivedFrom(kek);
  const std::string text = minted.Mint(Ticket());
  EXPECT_TRUE(replica.Verify(text, At(kNow)).ok());
  EXPECT_EQ(minted.KeyId(), replica.KeyId());
  // Another secret, or the secret itself used as the key, refuses it.
  EXPECT_FALSE(api::OfrepEventTicketSigner::DerivedFrom(std::string(32, 'x'))
                   .Verify(text, At(kNow))
                   .ok());
  EXPECT_FALSE(api::OfrepEventTicketSigner(kek).Verify(text, At(kNow)).ok());
}

TEST(OfrepEventTicketTest, MalformedTextIsUnauthenticatedNeverACrash) {
  api::OfrepEventTicketSigner signer("k");
  for (std::string_view text :
       {"", ".", "..", "abc", "abc.", ".abc", "!!!.???", "a.b.c", "e30.AAAA"}) {
    Result<api::OfrepEventTicket> r = signer.Verify(text, At(kNow));
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.status().code(), StatusCode::kUnauthenticated) << text;
  }
  EXPECT_FALSE(signer
                   .Verify(std::string(api::kMaxOfrepEventTicketBytes + 1, 'a'),
                           At(kNow))
                   .ok());
}

TEST(OfrepEventTicketTest, PayloadParserNamesTheProblem) {
  for (std::string_view json :
       {"", "[]", "{", R"({"v":2,"tid":"a","env":"staging","ten":"","exp":1})",
        R"({"v":1,"tid":"","env":"staging","ten":"","exp":1})",
        R"({"v":1,"tid":"a","env":"moon","ten":"","exp":1})",
        R"({"v":1,"tid":"a","env":"staging","ten":3,"exp":1})",
        R"({"v":1,"tid":"a","env":"staging","ten":"","exp":1.5})",
        R"({"v":1,"tid":{"x":{"y":1}},"env":"staging","ten":"","exp":1})"}) {
    Result<api::OfrepEventTicket> r = api::ParseOfrepEventTicketPayload(json);
    EXPECT_FALSE(r.ok()) << json;
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << json;
    }
  }
  EXPECT_TRUE(
      api::ParseOfrepEventTicketPayload(api::OfrepEventTicketPayload(Ticket()))
          .ok());
}

class RefetchFormatTest : public ::testing::Test {
 protected:
  void Publish() {
    auto config = std::make_shared<exposure::PublishedConfig>();
    config->snapshot = feed_.Current(Environment::kDevelopment)->snapshot;
    config->etag = "\"e" + std::to_string(++count_) + "\"";
    feed_.Publish(Environment::kDevelopment, std::move(config));
  }
  std::vector<std::string> Opening(std::optional<int64_t> resume) {
    return format_.Opening(feed_, Environment::kDevelopment, resume, "run",
                           &last_sent_);
  }

  ManualClock clock_{At(kNow)};
  api::OfrepRefetchFormat format_{clock_};
  exposure::ConfigFeed feed_;
  int64_t last_sent_ = -5;
  int count_ = 0;
};

TEST_F(RefetchFormatTest, OpeningFollowsTheResumeRules) {
  Publish();
  Publish();
  std::vector<std::string> fresh = Opening(std::nullopt);
  ASSERT_EQ(fresh.size(), 1u);
  EXPECT_EQ(fresh[0], "retry: 3000\n\n");
  EXPECT_EQ(last_sent_, 2);
  EXPECT_EQ(Opening(2).size(), 1u);
  std::vector<std::string> behind = Opening(0);
  ASSERT_EQ(behind.size(), 2u);
  EXPECT_EQ(behind[1],
            "id: run-2\nevent: message\ndata: "
            "{\"type\":\"refetchEvaluation\",\"etag\":\"\\\"e2\\\"\","
            "\"lastModified\":1700000000}\n\n");
  EXPECT_EQ(Opening(api::kUnknownEventPosition).size(), 2u);
}

}  // namespace
}  // namespace warden
