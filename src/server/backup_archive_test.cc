// The backup file format (server/backup_archive.h): what the writer
// produces reads back whole, and every kind of damage or forgery of the
// framing is refused with the slug a restore reports.
#include "server/backup_archive.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "core/crypto.h"

namespace warden::server {
namespace {

using ::testing::HasSubstr;

// Collects the files read, in memory.
class MemorySink final : public BackupEntrySink {
 public:
  Status Begin(const BackupEntry& entry) override {
    current_ = entry.name;
    files[current_].clear();
    return Status::Ok();
  }
  Status Write(std::string_view bytes) override {
    files[current_].append(bytes);
    return Status::Ok();
  }
  Status End(const BackupEntry& entry) override {
    digests[entry.name] = entry.sha256;
    return Status::Ok();
  }
  std::map<std::string, std::string> files;
  std::map<std::string, std::string> digests;

 private:
  std::string current_;
};

class BackupArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "backup_archive_XXXXXX")
            .string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    database_ = std::string(3 * 1024 * 1024 + 17, 'd');  // several chunks
    for (size_t i = 0; i < database_.size(); i += 4096) database_[i] = 'x';
    std::ofstream(dir_ + "/db", std::ios::binary) << database_;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static BackupManifest Manifest() {
    BackupManifest manifest;
    manifest.created_at = FromMicros(1'800'000'000'000'000);
    manifest.source = "/var/lib/warden";
    manifest.tables = 42;
    manifest.rows = 1234;
    manifest.audit_head_sequence = 99;
    manifest.audit_head_hash = std::string(64, 'a');
    manifest.audit_keyed_from = 1;
    manifest.checkpoint_sequence = 97;
    manifest.key_files = {"kek", "audit.key"};
    return manifest;
  }

  // A valid backup's bytes.
  std::string Write() {
    const std::string path = dir_ + "/backup-" + std::to_string(++written_);
    auto writer = BackupArchiveWriter::Create(path);
    EXPECT_TRUE(writer.ok()) << writer.status().ToString();
    EXPECT_TRUE((*writer)->AddFile(kBackupDatabaseFile, dir_ + "/db").ok());
    EXPECT_TRUE(
        (*writer)->AddBytes(kBackupCheckpointFile, "{\"checkpoint\":1}").ok());
    EXPECT_TRUE((*writer)->Finish(Manifest()).ok());
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  static Result<BackupManifest> Read(const std::string& bytes,
                                     MemorySink& sink) {
    std::istringstream in(bytes);
    return ReadBackupArchive(in, sink);
  }
  static Status ReadStatus(const std::string& bytes) {
    MemorySink sink;
    return Read(bytes, sink).status();
  }

  std::string dir_;
  std::string database_;
  int written_ = 0;
};

TEST_F(BackupArchiveTest, RoundTripsFilesAndManifest) {
  const std::string bytes = Write();
  EXPECT_TRUE(bytes.starts_with("warden-backup 1\nfile warden.db "));
  MemorySink sink;
  Result<BackupManifest> manifest = Read(bytes, sink);
  ASSERT_TRUE(manifest.ok()) << manifest.status().ToString();
  EXPECT_EQ(sink.files[kBackupDatabaseFile], database_);
  EXPECT_EQ(sink.files[kBackupCheckpointFile], "{\"checkpoint\":1}");
  EXPECT_EQ(sink.digests[kBackupDatabaseFile], Sha256Hex(database_));
  EXPECT_EQ(manifest->rows, 1234);
  EXPECT_EQ(manifest->audit_head_sequence, 99);
  EXPECT_EQ(manifest->checkpoint_sequence, 97);
  EXPECT_EQ(manifest->key_files, Manifest().key_files);
  ASSERT_EQ(manifest->files.size(), 2u);
  EXPECT_EQ(manifest->files[0].size, static_cast<int64_t>(database_.size()));
  EXPECT_EQ(manifest->created_at, Manifest().created_at);
}

TEST_F(BackupArchiveTest, WriterRefusesAnExistingFile) {
  std::ofstream(dir_ + "/taken") << "x";
  auto writer = BackupArchiveWriter::Create(dir_ + "/taken");
  EXPECT_EQ(writer.status().code(), StatusCode::kAlreadyExists);
}

TEST_F(BackupArchiveTest, FlippedDatabaseByteIsCorrupt) {
  std::string bytes = Write();
  bytes[bytes.find("ddd") + 1000] ^= 0x01;
  const Status status = ReadStatus(bytes);
  EXPECT_EQ(status.problem(), "backup-corrupt");
  EXPECT_THAT(status.message(), HasSubstr("warden.db: SHA-256 does not match"));
}

TEST_F(BackupArchiveTest, TruncationAnywhereIsRefused) {
  const std::string bytes = Write();
  for (size_t keep : {size_t{0}, size_t{5}, size_t{40}, bytes.size() / 2,
                      bytes.size() - 200, bytes.size() - 1}) {
    const Status status = ReadStatus(bytes.substr(0, keep));
    EXPECT_FALSE(status.ok()) << keep;
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << keep;
  }
}

TEST_F(BackupArchiveTest, TrailingBytesAreMalformed) {
  const Status status = ReadStatus(Write() + "x");
  EXPECT_EQ(status.problem(), "backup-malformed");
  EXPECT_THAT(status.message(), HasSubstr("bytes after the manifest"));
}

TEST_F(BackupArchiveTest, NotABackupSaysSo) {
  const Status status = ReadStatus("SQLite format 3\0...");
  EXPECT_THAT(status.message(), HasSubstr("not a Warden backup"));
}

// A file name outside the closed set could point a restore anywhere.
TEST_F(BackupArchiveTest, UnknownOrTraversingFileNamesAreRefused) {
  for (const char* name : {"../warden.db", "kek", "audit.key", "x"}) {
    const std::string bytes = std::string("warden-backup 1\nfile ") + name +
                              " 1\nx\nsha256 " + Sha256Hex("x") + "\n";
    const Status status = ReadStatus(bytes);
    EXPECT_EQ(status.problem(), "backup-malformed") << name;
    EXPECT_THAT(status.message(), HasSubstr("unknown file")) << name;
  }
}

TEST_F(BackupArchiveTest, SizesOverTheirLimitOrOddlyWrittenAreRefused) {
  for (const char* line : {"file audit.checkpoint 65537", "file warden.db 01",
                           "file warden.db -1", "file warden.db 1099511627777",
                           "file warden.db 99999999999999999999999"}) {
    const Status status =
        ReadStatus(std::string("warden-backup 1\n") + line + "\n");
    EXPECT_EQ(status.problem(), "backup-malformed") << line;
  }
}

TEST_F(BackupArchiveTest, RepeatedFileIsRefused) {
  const std::string entry =
      "file audit.checkpoint 1\nx\nsha256 " + Sha256Hex("x") + "\n";
  const Status status = ReadStatus("warden-backup 1\n" + entry + entry);
  EXPECT_THAT(status.message(), HasSubstr("appears twice"));
}

// A consistent forgery of the framing still has to agree with the
// manifest's list (and the manifest with its own digest).
TEST_F(BackupArchiveTest, ManifestThatDisagreesWithTheFilesIsRefused) {
  const std::string db =
      "file warden.db 2\nab\nsha256 " + Sha256Hex("ab") + "\n";
  BackupManifest manifest = Manifest();
  manifest.files = {{"warden.db", 2, Sha256Hex("ab")},
                    {"audit.checkpoint", 1, Sha256Hex("x")}};
  const std::string json = EncodeBackupManifest(manifest);
  const std::string tail = "manifest " + std::to_string(json.size()) + "\n" +
                           json + "\nsha256 " + Sha256Hex(json) + "\n";
  const Status status = ReadStatus("warden-backup 1\n" + db + tail);
  EXPECT_THAT(status.message(), HasSubstr("does not list the files"));
  manifest.files.pop_back();
  const std::string good = EncodeBackupManifest(manifest);
  EXPECT_TRUE(ReadStatus("warden-backup 1\n" + db + "manifest " +
                         std::to_string(good.size()) + "\n" + good +
                         "\nsha256 " + Sha256Hex(good) + "\n")
                  .ok());
}

TEST_F(BackupArchiveTest, BackupWithoutDatabaseIsRefused) {
  BackupManifest manifest = Manifest();
  const std::string json = EncodeBackupManifest(manifest);
  const Status status =
      ReadStatus("warden-backup 1\nmanifest " + std::to_string(json.size()) +
                 "\n" + json + "\nsha256 " + Sha256Hex(json) + "\n");
  EXPECT_THAT(status.message(), HasSubstr("no database"));
}

TEST_F(BackupArchiveTest, ManifestFieldsAreChecked) {
  EXPECT_THAT(ParseBackupManifest("[]").status().message(),
              HasSubstr("not a JSON object"));
  EXPECT_THAT(ParseBackupManifest(R"({"format":"warden-backup-v9"})")
                  .status()
                  .message(),
              HasSubstr("unknown format"));
  std::string json = EncodeBackupManifest(Manifest());
  json.replace(json.find("\"rows\":1234"), 11, "\"rows\":-4");
  EXPECT_THAT(ParseBackupManifest(json).status().message(),
              HasSubstr("database.rows is not a count"));
  std::string deep(100, '[');
  EXPECT_FALSE(ParseBackupManifest(deep).ok());
  BackupManifest slash = Manifest();
  slash.key_files = {"../kek"};
  EXPECT_THAT(
      ParseBackupManifest(EncodeBackupManifest(slash)).status().message(),
      HasSubstr("key_files[] is not a file name"));
}

}  // namespace
}  // namespace warden::server
