// The archive format on its own: what the writer produces verifies with
// the public key alone, and every edit an attacker could make to a file
// (a byte, a dropped or reordered record, a truncated stream, a rewritten
// manifest, another key) fails with a message naming it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "audit/audit_archive_verifier.h"
#include "audit/audit_archive_writer.h"
#include "core/audit_link_hasher.h"

namespace warden {
namespace {

using ::testing::HasSubstr;

std::string Gzip(std::string_view text) {
  z_stream s{};
  EXPECT_EQ(deflateInit2(&s, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY),
            Z_OK);
  std::string out(deflateBound(&s, text.size()) + 64, '\0');
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  s.avail_in = static_cast<uInt>(text.size());
  s.next_out = reinterpret_cast<Bytef*>(out.data());
  s.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&s, Z_FINISH), Z_STREAM_END);
  out.resize(s.total_out);
  deflateEnd(&s);
  return out;
}

std::string Gunzip(std::string_view bytes) {
  z_stream s{};
  EXPECT_EQ(inflateInit2(&s, 15 + 32), Z_OK);
  std::string out;
  char buffer[65536];
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  s.avail_in = static_cast<uInt>(bytes.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    s.next_out = reinterpret_cast<Bytef*>(buffer);
    s.avail_out = sizeof(buffer);
    rc = inflate(&s, Z_NO_FLUSH);
    out.append(buffer, sizeof(buffer) - s.avail_out);
  }
  EXPECT_EQ(rc, Z_STREAM_END);
  inflateEnd(&s);
  return out;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string Join(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

class AuditArchiveTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = testing::TempDir() + "warden-archive-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // A chain of `count` records after `prev` (genesis by default); the first
  // `unkeyed` are format 1, the rest keyed.
  std::vector<AuditRecord> Chain(int count, int unkeyed,
                                 std::string prev = kAuditGenesisHash,
                                 int64_t first = 1) {
    std::vector<AuditRecord> records;
    for (int i = 0; i < count; ++i) {
      AuditRecord r;
      r.sequence = first + i;
      r.event.time = FromMicros(1'800'000'000'000'000 + i);
      r.event.actor = "root";
      r.event.action = "test.event";
      r.event.target = "thing/" + std::to_string(i);
      r.event.outcome = "ok";
      r.event.details = "{\"i\":" + std::to_string(i) + "}";
      r.prev_hash = prev;
      r.format =
          i < unkeyed ? AuditHashFormat::kSha256 : AuditHashFormat::kHmacSha256;
      r.hash = AuditLinkHash(&key_, r.format, r.sequence, r.event, prev);
      prev = r.hash;
      records.push_back(std::move(r));
    }
    return records;
  }

  std::string Write(const std::vector<AuditRecord>& records,
                    const std::string& name = "a.jsonl.gz") {
    const std::string path = dir_ + "/" + name;
    auto writer = AuditArchiveWriter::Create(path);
    EXPECT_TRUE(writer.ok()) << writer.status().ToString();
    for (const AuditRecord& r : records) {
      EXPECT_TRUE((*writer)->Add(ViewOf(r)).ok());
    }
    auto manifest =
        (*writer)->Finish(signer_, FromMicros(1'900'000'000'000'000));
    EXPECT_TRUE(manifest.ok()) << manifest.status().ToString();
    return path;
  }

  std::string Read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  AuditArchiveVerifyOptions PublicOnly() const {
    return AuditArchiveVerifyOptions{signer_.public_key(), nullptr};
  }

  // Verifies the archive at `path` after `edit` changed its lines.
  Status VerifyEdited(
      const std::string& path,
      const std::function<void(std::vector<std::string>&)>& edit,
      const AuditArchiveVerifyOptions& options) {
    std::vector<std::string> lines = Lines(Gunzip(Read(path)));
    edit(lines);
    return VerifyAuditArchiveGzip(Gzip(Join(lines)), options).status();
  }

  std::string dir_;
  const AuditChainKey key_ = AuditChainKey::Generate();
  const AuditCheckpointSigner signer_ =
      AuditCheckpointSigner::FromSeed(std::string(32, 's')).value();
};

TEST_F(AuditArchiveTest, VerifiesWithThePublicKeyAlone) {
  const std::string path = Write(Chain(20, 5));
  auto summary = VerifyAuditArchiveFile(path, PublicOnly());
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->manifest.records, 20);
  EXPECT_EQ(summary->manifest.first_sequence, 1);
  EXPECT_EQ(summary->manifest.last_sequence, 20);
  EXPECT_EQ(summary->manifest.anchor_hash, kAuditGenesisHash);
  EXPECT_EQ(summary->rehashed, 5);  // the unkeyed ones
  EXPECT_EQ(summary->keyed_from, 6);
  EXPECT_FALSE(std::filesystem::exists(path + ".partial"));
  EXPECT_EQ(std::filesystem::status(path).permissions() &
                std::filesystem::perms::others_all,
            std::filesystem::perms::none);
}

TEST_F(AuditArchiveTest, AuditKeyRehashesKeyedRecords) {
  const std::string path = Write(Chain(20, 5));
  auto summary = VerifyAuditArchiveFile(
      path, AuditArchiveVerifyOptions{signer_.public_key(), &key_});
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->rehashed, 20);
}

TEST_F(AuditArchiveTest, TamperedUnkeyedByteNamesTheRecord) {
  const std::string path = Write(Chain(10, 10));
  Status s = VerifyEdited(
      path,
      [](auto& lines) { lines[2].replace(lines[2].find("root"), 4, "r00t"); },
      PublicOnly());
  EXPECT_EQ(s.problem(), kAuditArchiveBrokenProblem);
  EXPECT_THAT(s.message(), HasSubstr("line 3 (sequence 3): stored hash does "
                                     "not match the record's contents"));
}

TEST_F(AuditArchiveTest, TamperedKeyedByteFailsTheSignedDigest) {
  const std::string path = Write(Chain(10, 0));
  auto edit = [](auto& lines) {
    lines[4].replace(lines[4].find("root"), 4, "r00t");
  };
  Status s = VerifyEdited(path, edit, PublicOnly());
  EXPECT_THAT(s.message(), HasSubstr("records_sha256 does not match"));
  // With the audit key the record itself is named.
  s = VerifyEdited(path, edit,
                   AuditArchiveVerifyOptions{signer_.public_key(), &key_});
  EXPECT_THAT(s.message(), HasSubstr("line 5 (sequence 5): stored hash"));
}

TEST_F(AuditArchiveTest, DroppedRecordIsAGap) {
  const std::string path = Write(Chain(10, 3));
  Status s = VerifyEdited(
      path, [](auto& lines) { lines.erase(lines.begin() + 3); }, PublicOnly());
  EXPECT_THAT(s.message(), HasSubstr("sequence 5 follows 3 (a record is "
                                     "missing or out of order)"));
}

TEST_F(AuditArchiveTest, DroppedFirstRecordMismatchesTheManifest) {
  const std::string path = Write(Chain(10, 3));
  Status s = VerifyEdited(
      path, [](auto& lines) { lines.erase(lines.begin()); }, PublicOnly());
  EXPECT_THAT(s.message(),
              HasSubstr("record count: the manifest says 10, the records "
                        "give 9"));
}

TEST_F(AuditArchiveTest, ReorderedRecordsFail) {
  const std::string path = Write(Chain(10, 3));
  Status s = VerifyEdited(
      path, [](auto& lines) { std::swap(lines[4], lines[5]); }, PublicOnly());
  EXPECT_THAT(s.message(), HasSubstr("sequence 6 follows 4"));
}

TEST_F(AuditArchiveTest, EditedManifestFailsItsSignature) {
  const std::string path = Write(Chain(10, 3));
  Status s = VerifyEdited(
      path,
      [](auto& lines) {
        std::string& m = lines.back();
        m.replace(m.find("\"records\":10"), 12, "\"records\":11");
      },
      PublicOnly());
  EXPECT_THAT(s.message(), HasSubstr("manifest signature does not verify"));
}

TEST_F(AuditArchiveTest, MissingManifestIsTruncation) {
  const std::string path = Write(Chain(10, 3));
  Status s = VerifyEdited(
      path, [](auto& lines) { lines.pop_back(); }, PublicOnly());
  EXPECT_THAT(s.message(), HasSubstr("is not a manifest"));
}

TEST_F(AuditArchiveTest, OtherKeyIsRefused) {
  const std::string path = Write(Chain(4, 4));
  const auto other =
      AuditCheckpointSigner::FromSeed(std::string(32, 'o')).value();
  auto summary = VerifyAuditArchiveFile(
      path, AuditArchiveVerifyOptions{other.public_key(), nullptr});
  EXPECT_THAT(summary.status().message(), HasSubstr("signed by key"));
}

TEST_F(AuditArchiveTest, TruncatedOrCorruptGzipFails) {
  const std::string bytes = Read(Write(Chain(50, 50)));
  auto cut =
      VerifyAuditArchiveGzip(bytes.substr(0, bytes.size() - 10), PublicOnly());
  EXPECT_THAT(cut.status().message(), HasSubstr("truncated"));
  std::string flipped = bytes;
  flipped[flipped.size() / 2] ^= 0x5a;
  auto corrupt = VerifyAuditArchiveGzip(flipped, PublicOnly());
  EXPECT_EQ(corrupt.status().problem(), kAuditArchiveBrokenProblem);
  auto trailing = VerifyAuditArchiveGzip(bytes + "x", PublicOnly());
  EXPECT_THAT(trailing.status().message(), HasSubstr("after the end"));
  auto empty = VerifyAuditArchiveGzip("", PublicOnly());
  EXPECT_EQ(empty.status().problem(), kAuditArchiveBrokenProblem);
}

TEST_F(AuditArchiveTest, ArchivesChainTogether) {
  const std::vector<AuditRecord> all = Chain(30, 10);
  const std::vector<AuditRecord> first(all.begin(), all.begin() + 12);
  const std::vector<AuditRecord> second(all.begin() + 12, all.end());
  auto one = VerifyAuditArchiveFile(Write(first, "1.gz"), PublicOnly());
  auto two = VerifyAuditArchiveFile(Write(second, "2.gz"), PublicOnly());
  ASSERT_TRUE(one.ok() && two.ok());
  EXPECT_EQ(two->manifest.anchor_hash, one->manifest.last_hash);
  EXPECT_TRUE(CheckAuditArchiveLink(one->manifest, two->manifest).ok());
  EXPECT_THAT(CheckAuditArchiveLink(two->manifest, one->manifest).message(),
              HasSubstr("does not continue the previous archive"));
}

TEST_F(AuditArchiveTest, WriterNeverReplacesAFileAndCleansUp) {
  const std::string path = Write(Chain(2, 2));
  auto again = AuditArchiveWriter::Create(path);
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  {
    auto abandoned = AuditArchiveWriter::Create(dir_ + "/b.gz");
    ASSERT_TRUE(abandoned.ok());
    EXPECT_TRUE(std::filesystem::exists(dir_ + "/b.gz.partial"));
  }
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/b.gz.partial"));
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/b.gz"));
}

TEST_F(AuditArchiveTest, OverlongLineIsRefused) {
  AuditArchiveVerifier verifier(PublicOnly());
  const std::string long_line(kMaxAuditArchiveLineBytes + 1, 'x');
  EXPECT_THAT(verifier.Consume(long_line).message(), HasSubstr("longer than"));
}

}  // namespace
}  // namespace warden
