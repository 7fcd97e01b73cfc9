// Archive and prune on a real SQLite store: what is archived verifies on
// its own and chains to the next archive; the remaining chain verifies from
// the signed anchor; and pruning hides nothing: an edited row, a deleted
// tail, a moved, forged or deleted anchor and a broken chain are all found.
#include "audit/audit_archiver.h"

#include <gmock/gmock.h>

#include "audit/audit_anchor.h"
#include "audit/audit_archive_verifier.h"
#include "audit/audit_chain_verifier.h"
#include "audit/audit_test_env.h"

namespace warden {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kBaseUs = 1'800'000'000'000'000;  // AuditTestEnv::Event(0)

class AuditArchiverTest : public AuditTestEnv {
 protected:
  void SetUp() override {
    AuditTestEnv::SetUp();
    OpenStore(key_);
  }

  // Archives records with time before Event(before) that come before
  // `checkpoint` (default: the head + 1, i.e. everything).
  Result<AuditArchiveOutcome> Archive(int before, const std::string& name,
                                      int64_t checkpoint = 0) {
    AuditArchiveOptions options;
    options.older_than = FromMicros(kBaseUs + before);
    options.path = dir_ + "/" + name;
    options.key = &key_;
    options.signer = &signer_;
    options.checkpoint_sequence =
        checkpoint > 0 ? checkpoint : Head().sequence + 1;
    options.clock = &clock_;
    return ArchiveAuditLog(*store_, options);
  }

  AuditVerification Verify(const AuditCheckpoint* checkpoint = nullptr) {
    AuditVerifyOptions options;
    options.key = &key_;
    options.checkpoint = checkpoint;
    options.anchor_public_key = signer_.public_key();
    Result<AuditVerification> v = VerifyAuditChain(*store_, options);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? *v : AuditVerification{};
  }

  AuditCheckpoint CheckpointOfHead() {
    const AuditRecord head = Head();
    return AuditCheckpoint{head.sequence, head.hash, {}, {}, {}};
  }

  const AuditChainKey key_ = AuditChainKey::Generate();
  const AuditCheckpointSigner signer_ =
      AuditCheckpointSigner::FromSeed(std::string(32, 'k')).value();
  ManualClock clock_{FromMicros(kBaseUs + 1'000'000)};
};

TEST_F(AuditArchiverTest, ArchivesPrunesAndTheRestVerifiesFromTheAnchor) {
  ASSERT_TRUE(Append(100).ok());
  auto outcome = Archive(50, "a1.gz");
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  ASSERT_TRUE(outcome->archived);
  EXPECT_EQ(outcome->manifest.first_sequence, 1);
  EXPECT_EQ(outcome->manifest.last_sequence, 50);
  EXPECT_EQ(outcome->deleted, 50);

  // The database: 51..100 and the prune's own record, 101.
  const std::vector<AuditRecord> left = All();
  ASSERT_EQ(left.size(), 51u);
  EXPECT_EQ(left.front().sequence, 51);
  EXPECT_EQ(left.back().event.action, kAuditArchiveAction);
  EXPECT_THAT(left.back().event.details, HasSubstr("\"last_sequence\":50"));

  const AuditCheckpoint head = CheckpointOfHead();
  const AuditVerification v = Verify(&head);
  EXPECT_TRUE(v.intact()) << v.problem;
  EXPECT_EQ(v.records_checked, 51);
  EXPECT_EQ(v.last_sequence, 101);
  ASSERT_TRUE(v.anchor);
  EXPECT_EQ(v.anchor->sequence, 50);
  EXPECT_EQ(v.anchor->hash, outcome->manifest.last_hash);

  auto archive = VerifyAuditArchiveFile(
      dir_ + "/a1.gz", AuditArchiveVerifyOptions{signer_.public_key(), &key_});
  ASSERT_TRUE(archive.ok()) << archive.status().ToString();
  EXPECT_EQ(archive->rehashed, 50);
}

TEST_F(AuditArchiverTest, SecondArchiveContinuesTheFirst) {
  ASSERT_TRUE(Append(100).ok());
  ASSERT_TRUE(Archive(30, "a1.gz").ok());
  auto second = Archive(80, "a2.gz");
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->manifest.first_sequence, 31);
  EXPECT_EQ(second->manifest.last_sequence, 80);
  const AuditArchiveVerifyOptions options{signer_.public_key(), nullptr};
  auto one = VerifyAuditArchiveFile(dir_ + "/a1.gz", options);
  auto two = VerifyAuditArchiveFile(dir_ + "/a2.gz", options);
  ASSERT_TRUE(one.ok() && two.ok());
  EXPECT_TRUE(CheckAuditArchiveLink(one->manifest, two->manifest).ok());
  EXPECT_TRUE(Verify().intact());
}

TEST_F(AuditArchiverTest, NeverPrunesWhatTheCheckpointDoesNotCover) {
  ASSERT_TRUE(Append(100).ok());
  auto outcome = Archive(100, "a.gz", /*checkpoint=*/10);
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->manifest.last_sequence, 9);
}

TEST_F(AuditArchiverTest, NothingOldEnoughWritesNothing) {
  ASSERT_TRUE(Append(10).ok());
  auto outcome = Archive(0, "a.gz");
  ASSERT_TRUE(outcome.ok());
  EXPECT_FALSE(outcome->archived);
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/a.gz"));
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/a.gz.partial"));
  EXPECT_EQ(All().size(), 10u);
}

TEST_F(AuditArchiverTest, BoundedRunArchivesAPrefix) {
  ASSERT_TRUE(Append(100).ok());
  AuditArchiveOptions options;
  options.older_than = FromMicros(kBaseUs + 100);
  options.path = dir_ + "/a.gz";
  options.key = &key_;
  options.signer = &signer_;
  options.checkpoint_sequence = 101;
  options.max_records = 25;
  options.clock = &clock_;
  auto outcome = ArchiveAuditLog(*store_, options);
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->manifest.last_sequence, 25);
  EXPECT_TRUE(Verify().intact());
}

TEST_F(AuditArchiverTest, BrokenChainIsNotArchived) {
  ASSERT_TRUE(Append(20).ok());
  Tamper("UPDATE audit_log SET actor = 'mallory' WHERE sequence = 5", key_);
  auto outcome = Archive(20, "a.gz");
  EXPECT_EQ(outcome.status().problem(), "audit-chain-broken");
  EXPECT_THAT(outcome.status().message(), HasSubstr("record 5 is broken"));
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/a.gz"));
  EXPECT_EQ(All().size(), 20u);
}

TEST_F(AuditArchiverTest, EditedRowAfterPruningIsFound) {
  ASSERT_TRUE(Append(100).ok());
  ASSERT_TRUE(Archive(50, "a.gz").ok());
  Tamper("UPDATE audit_log SET actor = 'mallory' WHERE sequence = 60", key_);
  const AuditVerification v = Verify();
  EXPECT_EQ(v.first_broken_sequence, 60);
}

// The attacker without the audit key recomputes the remaining chain from
// the anchor with plain SHA-256: the first recomputed record is unkeyed
// after the keyed anchor (or, claiming to be keyed, fails its HMAC).
TEST_F(AuditArchiverTest, RecomputedChainAfterPruningIsFound) {
  ASSERT_TRUE(Append(100).ok());
  ASSERT_TRUE(Archive(50, "a.gz").ok());
  std::vector<AuditRecord> records = All();
  for (int format : {1, 2}) {
    std::string sql = "BEGIN;";
    std::string prev = records.front().prev_hash;  // the anchor's hash
    for (AuditRecord record : records) {
      if (record.sequence == 51) record.event.actor = "mallory";
      record.hash = AuditRecordHash(record.sequence, record.event, prev);
      sql += "UPDATE audit_log SET actor='" + record.event.actor +
             "', prev_hash='" + prev + "', hash='" + record.hash +
             "', format=" + std::to_string(format) +
             " WHERE sequence=" + std::to_string(record.sequence) + ";";
      prev = record.hash;
    }
    Tamper(sql + "COMMIT;", key_);
    const AuditVerification v = Verify();
    EXPECT_EQ(v.first_broken_sequence, 51) << "format " << format;
    EXPECT_THAT(v.problem, HasSubstr(format == 1 ? "unkeyed record after"
                                                 : "stored hash does not"));
  }
}

TEST_F(AuditArchiverTest, DeletedTailAfterPruningIsFound) {
  ASSERT_TRUE(Append(100).ok());
  ASSERT_TRUE(Archive(50, "a.gz").ok());
  const AuditCheckpoint head = CheckpointOfHead();
  Tamper("DELETE FROM audit_log WHERE sequence > 95", key_);
  const AuditVerification v = Verify(&head);
  EXPECT_FALSE(v.intact());
  EXPECT_EQ(v.missing_records, 6);
  EXPECT_EQ(v.last_sequence, 95);
}

TEST_F(AuditArchiverTest, DeletingEverythingIsStillTruncation) {
  ASSERT_TRUE(Append(100).ok());
  ASSERT_TRUE(Archive(50, "a.gz").ok());
  const AuditCheckpoint head = CheckpointOfHead();
  Tamper("DELETE FROM audit_log", key_);
  const AuditVerification v = Verify(&head);
  EXPECT_EQ(v.missing_records, 51);
}

TEST_F(AuditArchiverTest, MovedOrForgedAnchorBreaksTheChain) {
  ASSERT_TRUE(Append(100).ok());
  ASSERT_TRUE(Archive(50, "a.gz").ok());
  // Hiding records 51..60 by moving the anchor over them.
  Tamper(
      "DELETE FROM audit_log WHERE sequence <= 60;"
      "UPDATE audit_anchor SET sequence = 60, hash = (SELECT prev_hash FROM "
      "audit_log WHERE sequence = 61)",
      key_);
  AuditVerification v = Verify();
  EXPECT_EQ(v.first_broken_sequence, 61);
  EXPECT_THAT(v.problem, HasSubstr("chain anchor does not verify"));
}

TEST_F(AuditArchiverTest, DeletedAnchorBreaksTheChain) {
  ASSERT_TRUE(Append(100).ok());
  ASSERT_TRUE(Archive(50, "a.gz").ok());
  Tamper("DELETE FROM audit_anchor", key_);
  const AuditVerification v = Verify();
  EXPECT_EQ(v.first_broken_sequence, 51);
}

TEST_F(AuditArchiverTest, OldCheckpointBeforeTheAnchorStillVerifies) {
  ASSERT_TRUE(Append(100).ok());
  AuditCheckpoint old;
  old.sequence = 20;
  old.hash = All()[19].hash;
  AuditCheckpoint at_anchor;
  at_anchor.sequence = 50;
  at_anchor.hash = All()[49].hash;
  ASSERT_TRUE(Archive(50, "a.gz").ok());
  EXPECT_TRUE(Verify(&old).intact());
  EXPECT_TRUE(Verify(&at_anchor).intact());
  at_anchor.hash = old.hash;
  EXPECT_EQ(Verify(&at_anchor).first_broken_sequence, 50);
}

TEST_F(AuditArchiverTest, VerifyingAPrunedChainNeedsThePublicKey) {
  ASSERT_TRUE(Append(10).ok());
  ASSERT_TRUE(Archive(5, "a.gz").ok());
  AuditVerifyOptions options;
  options.key = &key_;
  auto v = VerifyAuditChain(*store_, options);
  EXPECT_EQ(v.status().problem(), "audit-anchor-unverifiable");
}

TEST_F(AuditArchiverTest, PruneIsCompareAndSet) {
  ASSERT_TRUE(Append(10).ok());
  ASSERT_TRUE(Archive(3, "a.gz").ok());  // anchor at 3
  const std::vector<AuditRecord> records = All();
  AuditAnchorRecord anchor;
  anchor.sequence = 6;
  anchor.hash = records[2].hash;  // record 6
  anchor.format = 2;
  SignAuditAnchor(signer_, anchor);
  // A process that read no anchor (sequence 0) lost the race.
  Status stale = store_->Write(
      [&](Transaction& tx) { return tx.audit().Prune(0, anchor).status(); });
  EXPECT_EQ(stale.problem(), "audit-anchor-conflict");
  // The anchor must name a stored record by its hash, before the head.
  anchor.hash = records[3].hash;
  Status wrong = store_->Write(
      [&](Transaction& tx) { return tx.audit().Prune(3, anchor).status(); });
  EXPECT_EQ(wrong.problem(), "audit-anchor-mismatch");
  anchor.sequence = Head().sequence;
  anchor.hash = Head().hash;
  Status head = store_->Write(
      [&](Transaction& tx) { return tx.audit().Prune(3, anchor).status(); });
  EXPECT_EQ(head.problem(), "audit-anchor-mismatch");
  EXPECT_TRUE(Verify().intact());
}

TEST_F(AuditArchiverTest, ExistingArchiveFileIsNotReplaced) {
  ASSERT_TRUE(Append(10).ok());
  ASSERT_TRUE(Archive(3, "a.gz").ok());
  auto again = Archive(8, "a.gz");
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(All().front().sequence, 4);
}

}  // namespace
}  // namespace warden
