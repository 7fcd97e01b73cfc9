#include "audit/audit_checkpointer.h"

#include "audit/audit_key_files.h"
#include "audit/audit_test_env.h"
#include "core/private_file.h"
#include "store/sqlite/fault_injector.h"

namespace warden {
namespace {

class AuditCheckpointerTest : public AuditTestEnv {
 protected:
  void SetUp() override {
    AuditTestEnv::SetUp();
    checkpoint_path_ = dir_ + "/audit.checkpoint";
    witness_path_ = dir_ + "/witness.jsonl";
  }

  void TearDown() override {
    CloseStore();
    checkpointer_.reset();
    AuditTestEnv::TearDown();
  }

  // Opens the store with a checkpointer (and a file witness) listening.
  void OpenWithCheckpointer(FaultInjector* faults = nullptr,
                            int max_lag_batches = 1) {
    std::vector<std::unique_ptr<AuditWitness>> witnesses;
    auto witness = FileAuditWitness::Open(witness_path_);
    ASSERT_TRUE(witness.ok()) << witness.status().ToString();
    witnesses.push_back(std::move(witness).value());
    checkpointer_ = std::make_unique<AuditCheckpointer>(
        checkpoint_path_, signer_, clock_,
        std::make_unique<WitnessPublisher>(std::move(witnesses)),
        max_lag_batches);
    SqliteStoreOptions options;
    options.path = db_path();
    options.audit_key = key_;
    options.audit_heads = checkpointer_.get();
    options.faults = faults;
    auto opened = OpenSqliteStore(options);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
  }

  AuditCheckpoint ReadCheckpoint(const std::string& path) {
    Result<AuditCheckpoint> checkpoint = ReadAuditCheckpointFile(path);
    EXPECT_TRUE(checkpoint.ok()) << checkpoint.status().ToString();
    if (!checkpoint.ok()) return {};
    EXPECT_TRUE(VerifyAuditCheckpoint(*checkpoint, signer_.public_key()).ok());
    return *checkpoint;
  }

  const AuditChainKey key_ = AuditChainKey::Generate();
  const AuditCheckpointSigner signer_ =
      AuditCheckpointSigner::FromSeed(std::string(32, 's')).value();
  ManualClock clock_{FromMicros(1'800'000'000'000'000)};
  std::string checkpoint_path_;
  std::string witness_path_;
  std::unique_ptr<AuditCheckpointer> checkpointer_;
};

TEST_F(AuditCheckpointerTest, EachCommitAdvancesTheSignedCheckpoint) {
  OpenWithCheckpointer();
  ASSERT_TRUE(Append(3).ok());
  ASSERT_TRUE(Append(4).ok());
  const AuditRecord head = Head();
  CloseStore();
  checkpointer_->Stop();
  const AuditCheckpoint checkpoint = ReadCheckpoint(checkpoint_path_);
  EXPECT_EQ(checkpoint.sequence, 7);
  EXPECT_EQ(checkpoint.hash, head.hash);
  EXPECT_EQ(checkpoint.time, clock_.Now());
  EXPECT_EQ(checkpointer_->failures(), 0);
}

// The bound the design promises: a commit waits for the previous batch's
// checkpoint, so once a write returns, every earlier write is checkpointed.
TEST_F(AuditCheckpointerTest, CheckpointLagsByAtMostTheLastBatch) {
  OpenWithCheckpointer();
  int64_t previous_head = 0;
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(Append(1).ok());
    EXPECT_GE(checkpointer_->recorded_sequence(), previous_head) << i;
    previous_head = Head().sequence;
  }
}

// The server's default bound: after a write returns, every write before the
// previous one is checkpointed.
TEST_F(AuditCheckpointerTest, CheckpointLagsByAtMostTwoBatchesByDefault) {
  OpenWithCheckpointer(nullptr, kDefaultCheckpointMaxLagBatches);
  std::vector<int64_t> heads = {0, 0};
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(Append(1).ok());
    EXPECT_GE(checkpointer_->recorded_sequence(), heads[heads.size() - 2]) << i;
    heads.push_back(Head().sequence);
  }
}

// The witness receives the checkpoints as JSON lines.
TEST_F(AuditCheckpointerTest, WitnessFileReceivesEveryCheckpointAsALine) {
  OpenWithCheckpointer();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(Append(2).ok());
  CloseStore();
  checkpointer_->Stop();
  Result<std::string> witness = ReadSmallFile(witness_path_, 1 << 20);
  ASSERT_TRUE(witness.ok()) << witness.status().ToString();
  const auto lines = std::count(witness->begin(), witness->end(), '\n');
  EXPECT_GE(lines, 1);
  EXPECT_LE(lines, 5);  // one per batch at most; the newest always
  EXPECT_EQ(ReadCheckpoint(witness_path_).sequence, 10);
  EXPECT_EQ(
      *witness,
      witness->substr(
          0, witness->size() - ReadSmallFile(checkpoint_path_, 4096)->size()) +
          *ReadSmallFile(checkpoint_path_, 4096));
}

// The checkpoint describes only durable commits: a batch whose commit
// fails (fsync error) must not move it.
TEST_F(AuditCheckpointerTest, FailedCommitDoesNotAdvanceTheCheckpoint) {
  FaultInjector faults;
  OpenWithCheckpointer(&faults);
  ASSERT_TRUE(Append(2).ok());
  faults.FailNextSync();
  EXPECT_FALSE(Append(3).ok());
  CloseStore();
  checkpointer_->Stop();
  EXPECT_EQ(ReadCheckpoint(checkpoint_path_).sequence, 2);
}

// --audit-checkpoint-max-lag 0: commits do not wait, yet the newest head is
// still what ends up signed.
TEST_F(AuditCheckpointerTest, UnboundedCheckpointsStillEndAtTheHead) {
  OpenWithCheckpointer(nullptr, 0);
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(Append(1).ok());
  const AuditRecord head = Head();
  CloseStore();
  checkpointer_->Stop();
  const AuditCheckpoint checkpoint = ReadCheckpoint(checkpoint_path_);
  EXPECT_EQ(checkpoint.sequence, 20);
  EXPECT_EQ(checkpoint.hash, head.hash);
}

TEST_F(AuditCheckpointerTest, RecordNowWritesAtOnceAndFilesArePrivate) {
  OpenWithCheckpointer();
  AuditHead head;
  head.sequence = 0;
  ASSERT_TRUE(checkpointer_->RecordNow(head).ok());
  EXPECT_EQ(ReadCheckpoint(checkpoint_path_).sequence, 0);
  for (const std::string& path : {checkpoint_path_, witness_path_}) {
    EXPECT_EQ(std::filesystem::status(path).permissions() &
                  std::filesystem::perms::all,
              std::filesystem::perms::owner_read |
                  std::filesystem::perms::owner_write)
        << path;
  }
}

}  // namespace
}  // namespace warden
