#include "custody/secret_service.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "service/credential_test_seed.h"
#include "service/service_test_env.h"

namespace warden::custody {
namespace {

constexpr char kPlaintext[] = "vendor-key-PLAINTEXT-7f3a9c";

class SecretServiceTest : public ServiceTestEnv {
 protected:
  void SetUp() override {
    ServiceTestEnv::SetUp();
    SeedTeam("payments");
    identity_ = SeedIdentity(*store_, clock_.Now(), "billing", "payments");
    WriteKek(secrets::KeyEncryptionKey::Generate());
    LoadService();
  }
  void TearDown() override {
    service_.reset();
    ServiceTestEnv::TearDown();
  }
  void WriteKek(const secrets::KeyEncryptionKey& kek) {
    const std::string path = dir_ + "/kek";
    std::ofstream(path, std::ios::binary) << kek.bytes();
    ::chmod(path.c_str(), 0600);
  }
  void LoadService() {
    service_.reset();
    auto keyring = SecretKeyring::Load(dir_);
    ASSERT_TRUE(keyring.ok()) << keyring.status().ToString();
    keyring_ = std::make_unique<SecretKeyring>(std::move(keyring).value());
    service_ = std::make_unique<SecretService>(*store_, *auditor_, *keyring_);
  }
  std::string DatabaseBytes() {
    std::string all;
    for (const char* suffix : {"", "-wal"}) {
      std::ifstream in(dir_ + "/warden.db" + suffix, std::ios::binary);
      all.append(std::istreambuf_iterator<char>(in), {});
    }
    return all;
  }
  SecretPut Put(std::string value) {
    return {"stripe-key", "billing", "vendor API key", std::move(value)};
  }
  std::vector<SecretVersionRecord> Versions() {
    std::vector<SecretVersionRecord> all;
    EXPECT_TRUE(store_
                    ->Read([&](Transaction& tx) -> Status {
                      WARDEN_ASSIGN_OR_RETURN(all,
                                              tx.secrets().ListAllVersions());
                      return Status::Ok();
                    })
                    .ok());
    return all;
  }

  Identity identity_;
  std::unique_ptr<SecretKeyring> keyring_;
  std::unique_ptr<SecretService> service_;
};

TEST_F(SecretServiceTest, StoresNoPlaintextAndReadsBackByRole) {
  auto put = service_->Put(Admin(), Put(kPlaintext));
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_EQ(put->secret.rotation_due_at, clock_.Now() + std::chrono::days(30));
  const std::string bytes = DatabaseBytes();
  ASSERT_FALSE(bytes.empty());
  EXPECT_EQ(bytes.find(kPlaintext), std::string::npos);
  EXPECT_EQ(bytes.find("PLAINTEXT"), std::string::npos);
  auto read =
      service_->Read(As(Role::kSecurity, "sec"), "stripe-key", std::nullopt);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->value, kPlaintext);
  EXPECT_EQ(LastAudit().event.action, "secret.read");
  EXPECT_EQ(LastAudit().event.details.find(kPlaintext), std::string::npos);
  for (Role role : {Role::kAuditor, Role::kAppOwner, Role::kAccountManager}) {
    EXPECT_EQ(
        service_->Read(As(role, "x", "payments"), "stripe-key", std::nullopt)
            .status()
            .code(),
        StatusCode::kPermissionDenied);
  }
}

TEST_F(SecretServiceTest, RotationKeepsPreviousForOverlapThenRevokes) {
  ASSERT_TRUE(service_->Put(Admin(), Put("v1-value")).ok());
  clock_.Advance(std::chrono::hours(1));
  auto rotated =
      service_->Rotate(As(Role::kAppOwner, "ann", "payments"), "stripe-key",
                       "v2-value", std::chrono::hours(2));
  ASSERT_TRUE(rotated.ok()) << rotated.status().ToString();
  EXPECT_EQ(rotated->secret.current_version, 2);
  EXPECT_EQ(*service_->Read(Admin(), "stripe-key", std::nullopt)->value.data(),
            'v');
  EXPECT_EQ(service_->Read(Admin(), "stripe-key", std::nullopt)->value,
            "v2-value");
  auto previous = service_->Read(Admin(), "stripe-key", 1);
  ASSERT_TRUE(previous.ok());
  EXPECT_EQ(previous->value, "v1-value");
  EXPECT_EQ(previous->state, "inactive");
  clock_.Advance(std::chrono::hours(3));
  EXPECT_EQ(service_->Read(Admin(), "stripe-key", 1).status().problem(),
            "secret-version-revoked");
  ASSERT_TRUE(
      service_->Rotate(Admin(), "stripe-key", "v3-value", std::chrono::hours(1))
          .ok());
  std::map<int64_t, std::string> states;
  for (const auto& v : Versions()) states[v.version] = v.state;
  EXPECT_EQ(states[1], "revoked");
  EXPECT_EQ(states[2], "inactive");
  EXPECT_EQ(states[3], "active");
}

TEST_F(SecretServiceTest, KekRotationRewrapsWithoutTouchingCiphertexts) {
  ASSERT_TRUE(service_->Put(Admin(), Put(kPlaintext)).ok());
  ASSERT_TRUE(
      service_->Rotate(Admin(), "stripe-key", "second", std::chrono::hours(1))
          .ok());
  const auto before = Versions();
  const std::string old_kek_id = keyring_->current().key_id();
  auto count = RotateKeyEncryptionKey(*store_, dir_);
  ASSERT_TRUE(count.ok()) << count.status().ToString();
  EXPECT_EQ(*count, 2);
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/secrets.kek.next"));
  struct stat info = {};
  ASSERT_EQ(::stat((dir_ + "/secrets.kek").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  const auto after = Versions();
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].ciphertext, before[i].ciphertext);
    EXPECT_EQ(after[i].nonce, before[i].nonce);
    EXPECT_NE(after[i].wrapped_key, before[i].wrapped_key);
    EXPECT_NE(after[i].kek_id, old_kek_id);
  }
  // The shared DIR/kek (also the OAuth server's) is left as it was.
  std::ifstream shared(dir_ + "/kek", std::ios::binary);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(shared), {}),
            keyring_->current().bytes());
  LoadService();
  EXPECT_NE(keyring_->current().key_id(), old_kek_id);
  EXPECT_EQ(service_->Read(Admin(), "stripe-key", 1)->value, kPlaintext);
  EXPECT_EQ(service_->Read(Admin(), "stripe-key", std::nullopt)->value,
            "second");
}

// A symlink planted at secrets.kek.next must not receive the new KEK.
TEST_F(SecretServiceTest, KekRotationDoesNotWriteThroughASymlink) {
  const std::string target = dir_ + "/elsewhere";
  std::filesystem::create_symlink(target, dir_ + "/secrets.kek.next");
  auto count = RotateKeyEncryptionKey(*store_, dir_);
  EXPECT_FALSE(count.ok());
  EXPECT_FALSE(std::filesystem::exists(target));
}

TEST_F(SecretServiceTest, WrongKekIsReportedAndBadInputRefused) {
  ASSERT_TRUE(service_->Put(Admin(), Put(kPlaintext)).ok());
  EXPECT_EQ(service_->Put(Admin(), Put("again")).status().code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(service_->Put(Admin(), Put("")).status().code(),
            StatusCode::kInvalidArgument);
  WriteKek(secrets::KeyEncryptionKey::Generate());
  LoadService();
  EXPECT_EQ(
      service_->Read(Admin(), "stripe-key", std::nullopt).status().problem(),
      "wrong-kek");
  ::chmod((dir_ + "/kek").c_str(), 0644);
  EXPECT_FALSE(SecretKeyring::Load(dir_).ok());
}

}  // namespace
}  // namespace warden::custody
