#include "secrets/key_encryption_key_file.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "core/crypto.h"

namespace warden::secrets {
namespace {

class KeyEncryptionKeyFileTest : public testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv(kKekEnvironmentVariable);
    std::string pattern = testing::TempDir() + "warden-kek-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    path_ = dir_ + "/kek";
  }
  void TearDown() override {
    ::unsetenv(kKekEnvironmentVariable);
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  void WriteRaw(const std::string& bytes, mode_t mode) {
    std::ofstream(path_, std::ios::binary | std::ios::trunc) << bytes;
    ASSERT_EQ(::chmod(path_.c_str(), mode), 0);
  }
  static mode_t ModeOf(const std::string& path) {
    struct stat info {};
    EXPECT_EQ(::lstat(path.c_str(), &info), 0) << path;
    return info.st_mode & 0777;
  }

  std::string dir_;
  std::string path_;
};

TEST_F(KeyEncryptionKeyFileTest, CreatesA0600KeyWhateverTheUmaskAndKeepsIt) {
  const mode_t saved = ::umask(0);
  const Status created = KeyEncryptionKeyFile(path_).EnsureExists();
  ::umask(saved);
  ASSERT_TRUE(created.ok()) << created.ToString();
  EXPECT_EQ(ModeOf(path_), 0600u);
  Result<KeyEncryptionKey> first = KeyEncryptionKeyFile(path_).Load();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  // A second start keeps the key it finds.
  ASSERT_TRUE(KeyEncryptionKeyFile(path_).EnsureExists().ok());
  EXPECT_EQ(KeyEncryptionKeyFile(path_).Read()->key_id(), first->key_id());
}

TEST_F(KeyEncryptionKeyFileTest, NeverCreatesThroughASymlink) {
  const std::string target = dir_ + "/elsewhere";
  std::filesystem::create_symlink(target, path_);
  EXPECT_TRUE(KeyEncryptionKeyFile(path_).EnsureExists().ok());
  EXPECT_FALSE(std::filesystem::exists(target));
  EXPECT_FALSE(
      KeyEncryptionKeyFile(path_).Write(KeyEncryptionKey::Generate()).ok());
  EXPECT_FALSE(std::filesystem::exists(target));
  EXPECT_EQ(KeyEncryptionKeyFile(path_).Read().status().code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(KeyEncryptionKeyFileTest, RefusesAFileGroupOrOthersMayAccess) {
  const std::string bytes(kKeyBytes, 'k');
  for (mode_t loose : {0640, 0604, 0660, 0610}) {
    WriteRaw(bytes, loose);
    Result<KeyEncryptionKey> key = KeyEncryptionKeyFile(path_).Read();
    ASSERT_FALSE(key.ok()) << std::oct << loose;
    EXPECT_EQ(key.status().code(), StatusCode::kFailedPrecondition);
    EXPECT_NE(key.status().message().find(path_), std::string::npos);
    EXPECT_NE(key.status().message().find("chmod 600"), std::string::npos);
  }
  WriteRaw(bytes, 0400);
  EXPECT_TRUE(KeyEncryptionKeyFile(path_).Read().ok());
}

TEST_F(KeyEncryptionKeyFileTest, RefusesAWrongSizeNamingThePathNotTheBytes) {
  for (size_t size : {size_t{0}, kKeyBytes - 1, kKeyBytes + 1, size_t{5000}}) {
    WriteRaw(std::string(size, 'q'), 0600);
    Result<KeyEncryptionKey> key = KeyEncryptionKeyFile(path_).Read();
    ASSERT_FALSE(key.ok()) << size;
    EXPECT_EQ(key.status().code(), StatusCode::kFailedPrecondition);
    EXPECT_NE(key.status().message().find(path_), std::string::npos);
    EXPECT_EQ(key.status().message().find("qqqq"), std::string::npos);
  }
}

TEST_F(KeyEncryptionKeyFileTest, MissingFileIsAPreconditionNamingThePath) {
  Result<KeyEncryptionKey> key = KeyEncryptionKeyFile(path_).Load();
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(key.status().message().find(path_), std::string::npos);
}

TEST_F(KeyEncryptionKeyFileTest, EnvironmentOverridesTheFile) {
  WriteRaw(std::string(kKeyBytes, 'f'), 0600);
  const KeyEncryptionKey from_env = KeyEncryptionKey::Generate();
  ASSERT_EQ(
      ::setenv(kKekEnvironmentVariable,
               (" " + Base64UrlEncode(from_env.bytes()) + "\n").c_str(), 1),
      0);
  EXPECT_TRUE(KeyEncryptionKeyFile::EnvironmentOverrides());
  EXPECT_EQ(KeyEncryptionKeyFile(path_).Load()->key_id(), from_env.key_id());
  // Even a missing or loose file: the file is not consulted.
  EXPECT_TRUE(KeyEncryptionKeyFile(dir_ + "/absent").Load().ok());
  // Read() is the file alone.
  EXPECT_NE(KeyEncryptionKeyFile(path_).Read()->key_id(), from_env.key_id());
}

TEST_F(KeyEncryptionKeyFileTest, BadEnvironmentKeyIsRefusedNamingTheVariable) {
  for (std::string value :
       {std::string("not base64url!"), Base64UrlEncode(std::string(16, 'x'))}) {
    ASSERT_EQ(::setenv(kKekEnvironmentVariable, value.c_str(), 1), 0);
    Result<KeyEncryptionKey> key = KeyEncryptionKeyFile(path_).Load();
    ASSERT_FALSE(key.ok()) << value;
    EXPECT_EQ(key.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(key.status().message().rfind(kKekEnvironmentVariable, 0), 0u);
    EXPECT_EQ(key.status().message().find(value), std::string::npos);
  }
  // Empty means unset.
  ASSERT_EQ(::setenv(kKekEnvironmentVariable, "", 1), 0);
  EXPECT_FALSE(KeyEncryptionKeyFile::EnvironmentOverrides());
}

}  // namespace
}  // namespace warden::secrets
