// The server's periodic retention on a real SQLite store: one run archives
// what is older than the retention into a new file of the archive
// directory and the chain still verifies; a replica without the lease does
// nothing; the thread runs on its interval and stops promptly.
#include "audit/audit_retention.h"

#include <gmock/gmock.h>

#include <thread>

#include "audit/audit_archive_verifier.h"
#include "audit/audit_chain_verifier.h"
#include "audit/audit_test_env.h"

namespace warden {
namespace {

using ::testing::MatchesRegex;

constexpr int64_t kBaseUs = 1'800'000'000'000'000;  // AuditTestEnv::Event(0)
constexpr int64_t kDayUs = 86'400'000'000;

class AuditRetentionTest : public AuditTestEnv {
 protected:
  void SetUp() override {
    AuditTestEnv::SetUp();
    OpenStore(key_);
    ASSERT_TRUE(Append(40).ok());
  }

  std::unique_ptr<AuditRetention> Make(
      std::chrono::seconds interval = kDefaultAuditRetentionInterval) {
    AuditRetentionOptions options;
    options.retention_days = 1;
    options.archive_dir = dir_ + "/archives";
    options.interval = interval;
    return std::make_unique<AuditRetention>(
        *store_, key_, signer_, [this] { return Head().sequence; }, lease_,
        clock_, options);
  }

  std::vector<std::string> Archives() {
    std::vector<std::string> names;
    for (const auto& entry :
         std::filesystem::directory_iterator(dir_ + "/archives")) {
      names.push_back(entry.path().filename().string());
    }
    return names;
  }

  const AuditChainKey key_ = AuditChainKey::Generate();
  const AuditCheckpointSigner signer_ =
      AuditCheckpointSigner::FromSeed(std::string(32, 'r')).value();
  ClusterLease lease_{true};
  // Two days after the records were written.
  ManualClock clock_{FromMicros(kBaseUs + 2 * kDayUs)};
};

TEST_F(AuditRetentionTest, RunArchivesOldRecordsIntoTheDirectory) {
  auto retention = Make();
  ASSERT_TRUE(retention->Start().ok());
  auto outcome = retention->RunOnce();
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  ASSERT_TRUE(outcome->archived);
  EXPECT_EQ(outcome->manifest.first_sequence, 1);
  EXPECT_EQ(outcome->manifest.last_sequence, 39);  // the checkpoint's stays
  ASSERT_EQ(Archives().size(), 1u);
  EXPECT_THAT(
      Archives()[0],
      MatchesRegex("audit-000000000001-[0-9]{8}T[0-9]{6}Z\\.jsonl\\.gz"));
  auto archive = VerifyAuditArchiveFile(
      dir_ + "/archives/" + Archives()[0],
      AuditArchiveVerifyOptions{signer_.public_key(), &key_});
  EXPECT_TRUE(archive.ok()) << archive.status().ToString();
  const AuditRecord head = Head();
  EXPECT_EQ(head.event.actor, "system");
  EXPECT_EQ(head.event.action, kAuditArchiveAction);

  AuditVerifyOptions verify;
  verify.key = &key_;
  verify.anchor_public_key = signer_.public_key();
  auto v = VerifyAuditChain(*store_, verify);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->intact()) << v->problem;
  EXPECT_EQ(retention->archived_records(), 39);

  // The next run takes the record the checkpoint now covers (40), and
  // continues the first archive; then nothing old is left.
  auto second = retention->RunOnce();
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  ASSERT_TRUE(second->archived);
  EXPECT_EQ(second->manifest.first_sequence, 40);
  EXPECT_EQ(second->manifest.anchor_hash, outcome->manifest.last_hash);
  auto third = retention->RunOnce();
  ASSERT_TRUE(third.ok());
  EXPECT_FALSE(third->archived);
  EXPECT_EQ(Archives().size(), 2u);
}

TEST_F(AuditRetentionTest, ReplicaWithoutTheLeaseDoesNothing) {
  lease_.Set(false);
  auto retention = Make();
  ASSERT_TRUE(retention->Start().ok());
  auto outcome = retention->RunOnce();
  ASSERT_TRUE(outcome.ok());
  EXPECT_FALSE(outcome->archived);
  EXPECT_EQ(retention->runs(), 0);
  EXPECT_EQ(All().size(), 40u);
}

TEST_F(AuditRetentionTest, ThreadRunsOnItsIntervalAndStops) {
  auto retention = Make(std::chrono::seconds(1));
  ASSERT_TRUE(retention->Start().ok());
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (retention->archived_records() == 0 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const auto stopping = std::chrono::steady_clock::now();
  retention->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - stopping,
            std::chrono::seconds(2));
  EXPECT_GE(retention->archived_records(), 39);
  EXPECT_EQ(retention->failures(), 0);
}

TEST_F(AuditRetentionTest, RefusesBadOptions) {
  AuditRetentionOptions options;
  AuditRetention retention(
      *store_, key_, signer_, [] { return 0; }, lease_, clock_, options);
  EXPECT_EQ(retention.Start().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace warden
