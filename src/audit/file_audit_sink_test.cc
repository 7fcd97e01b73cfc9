#include "audit/file_audit_sink.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <boost/json/parse.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace warden {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

AuditRecord Record(int64_t sequence) {
  AuditRecord record;
  record.sequence = sequence;
  record.event.time = FromMicros(1'765'100'000'000'000 + sequence);
  record.event.actor = "root";
  record.event.action = "test.event";
  record.event.target = "thing/" + std::to_string(sequence);
  record.event.outcome = "ok";
  record.event.details = "{}";
  record.prev_hash = std::string(64, '0');
  record.hash = std::string(64, 'f');
  return record;
}

std::vector<AuditRecord> Records(int64_t first, int64_t last) {
  std::vector<AuditRecord> out;
  for (int64_t s = first; s <= last; ++s) out.push_back(Record(s));
  return out;
}

std::vector<std::string> Lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

class FileAuditSinkTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = testing::TempDir() + "warden-file-sink-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    path_ = dir_ + "/audit.jsonl";
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<FileAuditSink> Open(uint64_t max_bytes = 0,
                                      std::chrono::seconds max_age = 0s) {
    auto sink = FileAuditSink::Open(path_, max_bytes, max_age, clock_);
    EXPECT_TRUE(sink.ok()) << sink.status().ToString();
    return sink.ok() ? std::move(*sink) : nullptr;
  }

  // Every rotated file, oldest first (the suffix sorts by time).
  std::vector<std::string> Rotated() {
    std::vector<std::string> out;
    for (const auto& entry : fs::directory_iterator(dir_)) {
      if (entry.path().string() != path_) out.push_back(entry.path());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  std::string dir_;
  std::string path_;
  ManualClock clock_{SystemClock().Now()};
};

TEST_F(FileAuditSinkTest, AppendsOneJsonLinePerRecordPrivately) {
  auto sink = Open();
  ASSERT_TRUE(sink->Deliver(Records(1, 3)).ok());
  ASSERT_TRUE(sink->Deliver(Records(4, 4)).ok());
  std::vector<std::string> lines = Lines(path_);
  ASSERT_EQ(lines.size(), 4u);
  for (size_t i = 0; i < lines.size(); ++i) {
    boost::json::value json = boost::json::parse(lines[i]);
    EXPECT_EQ(json.at("sequence").as_int64(), static_cast<int64_t>(i + 1));
    EXPECT_EQ(json.at("hash").as_string(), std::string(64, 'f'));
    EXPECT_EQ(json.at("prev_hash").as_string(), std::string(64, '0'));
  }
  struct stat st {};
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(FileAuditSinkTest, RotatesBeforeABatchThatWouldPassMaxBytes) {
  auto sink = Open(/*max_bytes=*/4096);
  for (int64_t s = 1; s <= 60; s += 5) {
    ASSERT_TRUE(sink->Deliver(Records(s, s + 4)).ok());
  }
  std::vector<std::string> rotated = Rotated();
  ASSERT_GE(rotated.size(), 2u);
  int64_t expected = 1;
  for (const std::string& file : rotated) {
    EXPECT_LE(fs::file_size(file), 4096u) << file;
    EXPECT_NE(file.find("audit.jsonl.20"), std::string::npos) << file;
    for (const std::string& line : Lines(file)) {
      EXPECT_EQ(boost::json::parse(line).at("sequence").as_int64(), expected++);
    }
  }
  for (const std::string& line : Lines(path_)) {
    EXPECT_EQ(boost::json::parse(line).at("sequence").as_int64(), expected++);
  }
  EXPECT_EQ(expected, 61);  // every record once, in order, across files
}

TEST_F(FileAuditSinkTest, RotatesByAgeAtTheNextBatchOrWhenIdle) {
  auto sink = Open(0, /*max_age=*/1h);
  ASSERT_TRUE(sink->Deliver(Records(1, 2)).ok());
  clock_.Advance(30min);
  ASSERT_TRUE(sink->Idle().ok());
  EXPECT_TRUE(Rotated().empty());
  clock_.Advance(31min);
  ASSERT_TRUE(sink->Idle().ok());
  ASSERT_EQ(Rotated().size(), 1u);
  EXPECT_EQ(Lines(Rotated()[0]).size(), 2u);
  // The new file is empty, and an empty file never rotates.
  clock_.Advance(2h);
  ASSERT_TRUE(sink->Idle().ok());
  EXPECT_EQ(Rotated().size(), 1u);
  ASSERT_TRUE(sink->Deliver(Records(3, 3)).ok());
  clock_.Advance(2h);
  ASSERT_TRUE(sink->Deliver(Records(4, 4)).ok());
  ASSERT_EQ(Rotated().size(), 2u);
  EXPECT_EQ(Lines(path_).size(), 1u);
}

TEST_F(FileAuditSinkTest, AReopenCutsAPartialLastLine) {
  {
    auto sink = Open();
    ASSERT_TRUE(sink->Deliver(Records(1, 2)).ok());
  }
  {
    std::ofstream torn(path_, std::ios::app);
    torn << "{\"sequence\":3,\"ti";  // a crash in the middle of a batch
  }
  auto sink = Open();
  ASSERT_TRUE(sink->Deliver(Records(3, 4)).ok());
  std::vector<std::string> lines = Lines(path_);
  ASSERT_EQ(lines.size(), 4u);
  for (size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(boost::json::parse(lines[i]).at("sequence").as_int64(),
              static_cast<int64_t>(i + 1));
  }
}

TEST_F(FileAuditSinkTest, AMissingDirectoryIsNamed) {
  auto sink = FileAuditSink::Open(dir_ + "/missing/audit.jsonl", 0, 0s, clock_);
  ASSERT_FALSE(sink.ok());
  EXPECT_EQ(sink.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(sink.status().message().find("missing/audit.jsonl"),
            std::string::npos);
}

}  // namespace
}  // namespace warden
