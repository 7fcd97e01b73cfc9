#include "audit/audit_checkpoint.h"

#include <gtest/gtest.h>

#include "core/crypto.h"

namespace warden {
namespace {

AuditCheckpointSigner Signer(char fill) {
  return AuditCheckpointSigner::FromSeed(
             std::string(AuditCheckpointSigner::kSeedBytes, fill))
      .value();
}

AuditCheckpoint Signed(const AuditCheckpointSigner& signer,
                       int64_t sequence = 1042) {
  AuditCheckpoint checkpoint;
  checkpoint.sequence = sequence;
  checkpoint.hash = std::string(64, 'c');
  checkpoint.time = FromMicros(1'800'000'000'123'456);
  signer.Sign(checkpoint);
  return checkpoint;
}

TEST(AuditCheckpointTest, RoundTripsAndVerifies) {
  const AuditCheckpointSigner signer = Signer('s');
  const AuditCheckpoint checkpoint = Signed(signer);
  const std::string line = EncodeAuditCheckpoint(checkpoint);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_NE(line.find("\"sequence\":1042"), std::string::npos) << line;
  EXPECT_NE(line.find("\"time\":\"2027-01-15T08:00:00.123456Z\""),
            std::string::npos)
      << line;
  Result<AuditCheckpoint> parsed = ParseAuditCheckpoint(line);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->sequence, 1042);
  EXPECT_EQ(parsed->hash, checkpoint.hash);
  EXPECT_EQ(parsed->time, checkpoint.time);
  EXPECT_EQ(parsed->key_id, signer.key_id());
  EXPECT_TRUE(VerifyAuditCheckpoint(*parsed, signer.public_key()).ok());
}

// Every signed field is covered: changing any of them breaks the signature.
TEST(AuditCheckpointTest, AnyEditedFieldIsRefused) {
  const AuditCheckpointSigner signer = Signer('s');
  const AuditCheckpoint good = Signed(signer);
  std::vector<AuditCheckpoint> edits(4, good);
  edits[0].sequence += 1;
  edits[1].hash[0] = 'd';
  edits[2].time += std::chrono::microseconds(1);
  edits[3].signature[10] ^= 1;
  for (const AuditCheckpoint& edited : edits) {
    const Status status = VerifyAuditCheckpoint(edited, signer.public_key());
    EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
    EXPECT_EQ(status.problem(), "audit-checkpoint-signature");
  }
}

TEST(AuditCheckpointTest, AnotherKeysCheckpointIsRefusedNamingBothKeys) {
  const AuditCheckpointSigner ours = Signer('a');
  const AuditCheckpointSigner theirs = Signer('b');
  const Status status =
      VerifyAuditCheckpoint(Signed(theirs), ours.public_key());
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find(theirs.key_id()), std::string::npos);
  EXPECT_NE(status.message().find(ours.key_id()), std::string::npos);
  // Claiming our key id does not help: the signature is still theirs.
  AuditCheckpoint forged = Signed(theirs);
  forged.key_id = ours.key_id();
  EXPECT_FALSE(VerifyAuditCheckpoint(forged, ours.public_key()).ok());
}

TEST(AuditCheckpointTest, LastLineOfAWitnessFileCounts) {
  const AuditCheckpointSigner signer = Signer('s');
  const std::string lines = EncodeAuditCheckpoint(Signed(signer, 1)) + "\n" +
                            EncodeAuditCheckpoint(Signed(signer, 2)) + "\n" +
                            EncodeAuditCheckpoint(Signed(signer, 3)) + "\n\n";
  Result<AuditCheckpoint> last = ParseLastAuditCheckpoint(lines);
  ASSERT_TRUE(last.ok()) << last.status().ToString();
  EXPECT_EQ(last->sequence, 3);
  EXPECT_EQ(ParseLastAuditCheckpoint(EncodeAuditCheckpoint(Signed(signer, 7)))
                ->sequence,
            7);
  EXPECT_FALSE(ParseLastAuditCheckpoint(" \n\n").ok());
  // A torn last line is not silently replaced by an older one.
  EXPECT_FALSE(ParseLastAuditCheckpoint(lines + "{\"format\":").ok());
}

TEST(AuditCheckpointTest, MalformedInputIsRefusedNamingTheField) {
  const std::string good = EncodeAuditCheckpoint(Signed(Signer('s')));
  auto replace = [&](const std::string& from, const std::string& to) {
    std::string text = good;
    const size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return text.replace(at, from.size(), to);
  };
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "not JSON"},
      {"[]", "not a JSON object"},
      {"{\"a\":{\"b\":{}}}", "not JSON"},  // nesting beyond the limit
      {replace("warden-audit-checkpoint-v1", "v0"), "format"},
      {replace("\"sequence\":1042", "\"sequence\":-1"), "sequence"},
      {replace("\"sequence\":1042", "\"sequence\":1.5"), "sequence"},
      {replace("\"sequence\":1042", "\"sequence\":\"1042\""), "sequence"},
      {replace(std::string(64, 'c'), std::string(64, 'C')), "hash"},
      {replace(std::string(64, 'c'), std::string(63, 'c')), "hash"},
      {replace("2027-01-15T08", "2027-13-15T08"), "time"},
      {replace("\"key_id\":\"", "\"key_id\":\"zz"), "key_id"},
      {replace("\"signature\":\"", "\"signature\":\"AAAA"), "signature"},
      {std::string(kMaxAuditCheckpointBytes + 1, ' '), "longer than"},
  };
  for (const auto& [text, field] : cases) {
    Result<AuditCheckpoint> parsed = ParseAuditCheckpoint(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(parsed.status().problem(), "audit-checkpoint-malformed");
    EXPECT_NE(parsed.status().message().find(field), std::string::npos)
        << parsed.status().message();
  }
}

TEST(AuditCheckpointTest, SignerNeedsA32ByteSeed) {
  EXPECT_EQ(AuditCheckpointSigner::FromSeed("short").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(Signer('a').public_key().size(), 32u);
  EXPECT_EQ(Signer('a').key_id(),
            AuditCheckpointKeyId(Signer('a').public_key()));
}

}  // namespace
}  // namespace warden
