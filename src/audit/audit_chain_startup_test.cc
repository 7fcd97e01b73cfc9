#include "audit/audit_chain_startup.h"

#include "audit/audit_chain_verifier.h"
#include "audit/audit_key_files.h"
#include "audit/audit_test_env.h"
#include "core/private_file.h"

namespace warden {
namespace {

class AuditChainStartupTest : public AuditTestEnv {
 protected:
  void TearDown() override {
    CloseStore();
    checkpointer_.reset();
    AuditTestEnv::TearDown();
  }

  std::string checkpoint_path() const {
    return AuditFilePath(dir_, kAuditCheckpointFileName);
  }

  // What the server does at start: keys from the data dir, the store with
  // the key and the checkpointer, then StartAuditChain.
  Status Start() {
    CloseStore();
    checkpointer_.reset();
    Result<AuditKeys> keys = LoadOrCreateAuditKeys(dir_);
    if (!keys.ok()) return keys.status();
    key_ = keys->chain_key;
    checkpointer_ = std::make_unique<AuditCheckpointer>(
        checkpoint_path(), keys->signer, clock_, nullptr);
    OpenStore(key_, checkpointer_.get());
    return StartAuditChain(*store_, *key_, *checkpointer_, checkpoint_path(),
                           clock_);
  }

  // Stops like the server: store first, then the checkpointer.
  void Stop() {
    CloseStore();
    checkpointer_->Stop();
  }

  AuditVerification Verify() {
    Result<AuditCheckpoint> checkpoint =
        ReadAuditCheckpointFile(checkpoint_path());
    EXPECT_TRUE(checkpoint.ok()) << checkpoint.status().ToString();
    AuditVerifyOptions options;
    options.key = &*key_;
    options.checkpoint = checkpoint.ok() ? &*checkpoint : nullptr;
    Result<AuditVerification> v = VerifyAuditChain(*store_, options);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? *v : AuditVerification{};
  }

  // Turns warden.db back into what the binary before the keyed chain
  // wrote: no format column, schema version 6.
  void DowngradeSchema() {
    Tamper(
        "ALTER TABLE audit_log DROP COLUMN format;"
        "DELETE FROM schema_migrations WHERE version >= 7;",
        std::nullopt);
  }

  ManualClock clock_{FromMicros(1'800'000'000'000'000)};
  std::optional<AuditChainKey> key_;
  std::unique_ptr<AuditCheckpointer> checkpointer_;
};

TEST_F(AuditChainStartupTest, FirstStartKeysTheChainAndAnchorsIt) {
  ASSERT_TRUE(Start().ok());
  const AuditRecord marker = Head();
  EXPECT_EQ(marker.sequence, 1);
  EXPECT_EQ(marker.event.action, kAuditChainKeyedAction);
  EXPECT_EQ(marker.event.actor, "system");
  EXPECT_EQ(marker.format, AuditHashFormat::kHmacSha256);
  EXPECT_NE(marker.event.details.find(key_->id()), std::string::npos);
  EXPECT_EQ(ReadAuditCheckpointFile(checkpoint_path())->sequence, 1);
  for (const char* name :
       {kAuditKeyFileName, kAuditCheckpointKeyFileName,
        kAuditCheckpointPublicKeyFileName, kAuditCheckpointFileName}) {
    EXPECT_EQ(std::filesystem::status(AuditFilePath(dir_, name)).permissions(),
              std::filesystem::perms::owner_read |
                  std::filesystem::perms::owner_write)
        << name;
  }
  // A restart neither re-keys nor needs to.
  Stop();
  ASSERT_TRUE(Start().ok());
  EXPECT_EQ(Head().sequence, 1);
}

// A chain written before keys existed upgrades in
// place: its records keep their SHA-256 links, the marker is the first
// keyed record, and the whole chain verifies.
TEST_F(AuditChainStartupTest, PreExistingUnkeyedChainUpgradesInPlace) {
  OpenStore(std::nullopt);
  ASSERT_TRUE(Append(20).ok());
  DowngradeSchema();
  ASSERT_TRUE(Start().ok());
  ASSERT_TRUE(Append(10).ok());
  const std::vector<AuditRecord> all = All();
  ASSERT_EQ(all.size(), 31u);
  EXPECT_EQ(all[19].format, AuditHashFormat::kSha256);
  EXPECT_EQ(all[20].event.action, kAuditChainKeyedAction);
  EXPECT_EQ(all[20].format, AuditHashFormat::kHmacSha256);
  EXPECT_NE(all[20].event.details.find("\"unkeyed_records\":20"),
            std::string::npos);
  Stop();
  OpenStore(key_);
  const AuditVerification v = Verify();
  EXPECT_TRUE(v.intact()) << v.problem;
  EXPECT_EQ(v.records_checked, 31);
  EXPECT_EQ(v.keyed_from, 21);
}

TEST_F(AuditChainStartupTest, TruncatedLogRefusesToStart) {
  ASSERT_TRUE(Start().ok());
  ASSERT_TRUE(Append(5).ok());
  Stop();
  Tamper("DELETE FROM audit_log WHERE sequence > 4", std::nullopt);
  const Status started = Start();
  EXPECT_EQ(started.problem(), "audit-chain-mismatch");
  EXPECT_NE(
      started.message().find("truncated: 2 records missing after sequence 4"),
      std::string::npos)
      << started.message();
  EXPECT_EQ(Head().sequence, 4) << "nothing appended, checkpoint kept";
  EXPECT_EQ(ReadAuditCheckpointFile(checkpoint_path())->sequence, 6);
}

TEST_F(AuditChainStartupTest, RewrittenCheckpointedRecordRefusesToStart) {
  ASSERT_TRUE(Start().ok());
  ASSERT_TRUE(Append(5).ok());
  const std::string rewrite = RewriteUnkeyedFrom(1, 1);
  Stop();
  Tamper(rewrite, std::nullopt);
  EXPECT_EQ(Start().problem(), "audit-chain-mismatch");
}

TEST_F(AuditChainStartupTest, ReplacedAuditKeyRefusesToStart) {
  ASSERT_TRUE(Start().ok());
  Stop();
  std::filesystem::remove(AuditFilePath(dir_, kAuditKeyFileName));
  const Status started = Start();
  EXPECT_EQ(started.problem(), "audit-chain-mismatch");
  EXPECT_NE(started.message().find("audit.key"), std::string::npos);
}

TEST_F(AuditChainStartupTest, ForgedCheckpointRefusesToStart) {
  ASSERT_TRUE(Start().ok());
  Stop();
  AuditCheckpoint forged = *ReadAuditCheckpointFile(checkpoint_path());
  forged.sequence = 0;
  forged.hash = kAuditGenesisHash;
  ASSERT_TRUE(WritePrivateFileAtomically(checkpoint_path(),
                                         EncodeAuditCheckpoint(forged))
                  .ok());
  const Status started = Start();
  EXPECT_EQ(started.problem(), "audit-chain-mismatch");
  EXPECT_NE(started.message().find("signature"), std::string::npos)
      << started.message();
}

}  // namespace
}  // namespace warden
