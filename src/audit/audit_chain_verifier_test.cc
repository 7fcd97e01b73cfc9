#include "audit/audit_chain_verifier.h"

#include "audit/audit_test_env.h"

namespace warden {
namespace {

// Each case runs sequentially and split over four threads; the answers
// must be the same.
class AuditChainVerifierTest : public AuditTestEnv,
                               public testing::WithParamInterface<int> {
 protected:
  void SetUp() override {
    AuditTestEnv::SetUp();
    OpenStore(key_);
  }

  AuditVerification Verify(const AuditCheckpoint* checkpoint = nullptr,
                           const AuditChainKey* key = nullptr) {
    AuditVerifyOptions options;
    options.key = key != nullptr ? key : &key_;
    options.checkpoint = checkpoint;
    options.threads = GetParam();
    options.parallel_min_records = 1;
    Result<AuditVerification> v = VerifyAuditChain(*store_, options);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? *v : AuditVerification{};
  }

  AuditCheckpoint CheckpointOfHead() {
    const AuditRecord head = Head();
    AuditCheckpoint checkpoint;
    checkpoint.sequence = head.sequence;
    checkpoint.hash = head.hash;
    return checkpoint;
  }

  const AuditChainKey key_ = AuditChainKey::Generate();
};

INSTANTIATE_TEST_SUITE_P(Threads, AuditChainVerifierTest, testing::Values(1, 4),
                         [](const testing::TestParamInfo<int>& info) {
                           return "threads" + std::to_string(info.param);
                         });

TEST_P(AuditChainVerifierTest, EmptyChainVerifies) {
  const AuditVerification v = Verify();
  EXPECT_TRUE(v.intact());
  EXPECT_EQ(v.records_checked, 0);
  EXPECT_EQ(v.last_sequence, 0);
}

TEST_P(AuditChainVerifierTest, IntactKeyedChainVerifies) {
  ASSERT_TRUE(Append(2501).ok());
  const AuditVerification v = Verify();
  EXPECT_TRUE(v.intact()) << v.problem;
  EXPECT_EQ(v.records_checked, 2501);
  EXPECT_EQ(v.last_sequence, 2501);
  EXPECT_EQ(v.keyed_from, 1);
  EXPECT_GT(v.bytes_hashed, 2501 * 64);
  EXPECT_EQ(All().back().format, AuditHashFormat::kHmacSha256);
}

TEST_P(AuditChainVerifierTest, AlteredRecordIsTheFirstBroken) {
  ASSERT_TRUE(Append(1200).ok());
  Tamper("UPDATE audit_log SET outcome = 'deny' WHERE sequence = 1100", key_);
  const AuditVerification v = Verify();
  ASSERT_TRUE(v.first_broken_sequence.has_value());
  EXPECT_EQ(*v.first_broken_sequence, 1100);
  EXPECT_EQ(v.records_checked, 1099);
  EXPECT_NE(v.problem.find("stored hash"), std::string::npos) << v.problem;
}

TEST_P(AuditChainVerifierTest, TheEarliestOfSeveralEditsIsReported) {
  ASSERT_TRUE(Append(1000).ok());
  Tamper(
      "UPDATE audit_log SET outcome = 'deny' WHERE sequence IN (900, 40, 600)",
      key_);
  EXPECT_EQ(Verify().first_broken_sequence, 40);
}

TEST_P(AuditChainVerifierTest, DeletedRecordIsAGapEvenOnARangeBoundary) {
  ASSERT_TRUE(Append(400).ok());
  // With four ranges of 100, record 101 opens the second one.
  Tamper("DELETE FROM audit_log WHERE sequence = 101", key_);
  const AuditVerification v = Verify();
  ASSERT_TRUE(v.first_broken_sequence.has_value());
  EXPECT_EQ(*v.first_broken_sequence, 102);
  EXPECT_EQ(v.records_checked, 100);
  EXPECT_NE(v.problem.find("expected 101"), std::string::npos) << v.problem;
}

// Deleting the tail leaves a valid shorter chain;
// only the checkpoint can tell.
TEST_P(AuditChainVerifierTest, DeletedTailIsTruncationAgainstTheCheckpoint) {
  ASSERT_TRUE(Append(50).ok());
  const AuditCheckpoint checkpoint = CheckpointOfHead();
  Tamper("DELETE FROM audit_log WHERE sequence > 47", key_);
  EXPECT_TRUE(Verify().intact()) << "without a checkpoint nothing shows";
  const AuditVerification v = Verify(&checkpoint);
  EXPECT_FALSE(v.intact());
  EXPECT_FALSE(v.first_broken_sequence.has_value());
  EXPECT_EQ(v.missing_records, 3);
  EXPECT_EQ(v.last_sequence, 47);
  EXPECT_EQ(v.records_checked, 47);
}

TEST_P(AuditChainVerifierTest, CheckpointOlderThanTheLogIsFine) {
  ASSERT_TRUE(Append(10).ok());
  const AuditCheckpoint checkpoint = CheckpointOfHead();
  ASSERT_TRUE(Append(10).ok());
  const AuditVerification v = Verify(&checkpoint);
  EXPECT_TRUE(v.intact()) << v.problem;
  EXPECT_EQ(v.records_checked, 20);
}

// Without the key the attacker can only recompute
// unkeyed hashes, which do not verify as keyed records...
TEST_P(AuditChainVerifierTest, RecomputedUnkeyedHashesAreFoundAtTheEdit) {
  ASSERT_TRUE(Append(300).ok());
  Tamper(RewriteUnkeyedFrom(120, /*format=*/2), key_);
  const AuditVerification v = Verify();
  EXPECT_EQ(v.first_broken_sequence, 120);
  EXPECT_NE(v.problem.find("stored hash"), std::string::npos) << v.problem;
}

// ... and records that admit to being unkeyed cannot follow keyed ones.
TEST_P(AuditChainVerifierTest, RecomputedUnkeyedChainIsFoundAtTheEdit) {
  ASSERT_TRUE(Append(300).ok());
  Tamper(RewriteUnkeyedFrom(120, /*format=*/1), key_);
  const AuditVerification v = Verify();
  EXPECT_EQ(v.first_broken_sequence, 120);
  EXPECT_EQ(v.records_checked, 119);
  EXPECT_NE(v.problem.find("unkeyed record after"), std::string::npos)
      << v.problem;
}

// Rewriting the whole chain as an unkeyed one from the first record is
// consistent by itself; the signed checkpoint's hash is what it cannot
// reproduce.
TEST_P(AuditChainVerifierTest, WholeChainRewrittenUnkeyedFailsTheCheckpoint) {
  ASSERT_TRUE(Append(30).ok());
  const AuditCheckpoint checkpoint = CheckpointOfHead();
  Tamper(RewriteUnkeyedFrom(1, /*format=*/1), key_);
  const AuditVerification v = Verify(&checkpoint);
  EXPECT_EQ(v.first_broken_sequence, 30);
  EXPECT_NE(v.problem.find("checkpoint"), std::string::npos) << v.problem;
}

TEST_P(AuditChainVerifierTest, AnotherKeyBreaksTheFirstKeyedRecord) {
  ASSERT_TRUE(Append(5).ok());
  const AuditChainKey other = AuditChainKey::Generate();
  EXPECT_EQ(Verify(nullptr, &other).first_broken_sequence, 1);
}

TEST_P(AuditChainVerifierTest, KeyedRecordWithoutAKeyIsAnErrorNotABreak) {
  ASSERT_TRUE(Append(5).ok());
  AuditVerifyOptions options;
  options.threads = GetParam();
  Result<AuditVerification> v = VerifyAuditChain(*store_, options);
  EXPECT_EQ(v.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(v.status().problem(), "audit-key-required");
}

TEST_P(AuditChainVerifierTest, UnknownFormatIsABreak) {
  ASSERT_TRUE(Append(5).ok());
  Tamper("UPDATE audit_log SET format = 9 WHERE sequence = 3", key_);
  const AuditVerification v = Verify();
  EXPECT_EQ(v.first_broken_sequence, 3);
  EXPECT_NE(v.problem.find("unknown hash format 9"), std::string::npos);
}

// An unkeyed store may extend an unkeyed chain (tests, tools) but never a
// keyed one: the switch is one-way.
TEST_P(AuditChainVerifierTest, UnkeyedStoreCannotExtendAKeyedChain) {
  ASSERT_TRUE(Append(2).ok());
  OpenStore(std::nullopt);
  const Status appended = Append(1);
  EXPECT_EQ(appended.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(appended.problem(), "audit-key-required");
}

}  // namespace
}  // namespace warden
