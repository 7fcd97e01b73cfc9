#include "server/backup_archive.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>

#include "core/crypto.h"
#include "core/json_text.h"
#include "core/time_format.h"

namespace warden::server {
namespace {

constexpr size_t kChunkBytes = 1 << 20;
// The longest framing line: "manifest " or "file audit-checkpoint.pub " and
// a size, or "sha256 " and 64 hex digits.
constexpr size_t kMaxLineBytes = 128;

Status Malformed(std::string message) {
  return InvalidArgument(std::move(message), "backup-malformed");
}
Status Corrupt(std::string message) {
  return InvalidArgument(std::move(message), "backup-corrupt");
}

class Sha256Stream {
 public:
  Sha256Stream() { crypto_hash_sha256_init(&state_); }
  void Update(std::string_view bytes) {
    crypto_hash_sha256_update(
        &state_, reinterpret_cast<const unsigned char*>(bytes.data()),
        bytes.size());
  }
  std::string HexDigest() {
    std::array<uint8_t, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256_final(&state_, digest.data());
    return HexEncode(digest);
  }

 private:
  crypto_hash_sha256_state state_{};
};

bool KnownFileName(std::string_view name) {
  return std::ranges::any_of(kBackupFileNames,
                             [&](const char* known) { return name == known; });
}

int64_t SizeLimit(std::string_view name) {
  return name == kBackupDatabaseFile ? kMaxBackupDatabaseBytes
                                     : kMaxBackupSmallFileBytes;
}

// ---- manifest ----

boost::json::object EntryJson(const BackupEntry& entry) {
  return {{"name", entry.name}, {"size", entry.size}, {"sha256", entry.sha256}};
}

Result<const boost::json::value*> Member(const boost::json::object& object,
                                         std::string_view key,
                                         std::string_view where) {
  const boost::json::value* value = object.if_contains(key);
  if (value == nullptr) {
    return Malformed("manifest: " + std::string(where) + std::string(key) +
                     " is missing");
  }
  return value;
}

Result<int64_t> Count(const boost::json::object& object, std::string_view key,
                      std::string_view where) {
  WARDEN_ASSIGN_OR_RETURN(const boost::json::value* value,
                          Member(object, key, where));
  if (!value->is_int64() || value->get_int64() < 0) {
    return Malformed("manifest: " + std::string(where) + std::string(key) +
                     " is not a count");
  }
  return value->get_int64();
}

Result<std::string> Text(const boost::json::object& object,
                         std::string_view key, std::string_view where) {
  WARDEN_ASSIGN_OR_RETURN(const boost::json::value* value,
                          Member(object, key, where));
  if (!value->is_string()) {
    return Malformed("manifest: " + std::string(where) + std::string(key) +
                     " is not a string");
  }
  return std::string(value->get_string());
}

Result<const boost::json::object*> Object(const boost::json::object& object,
                                          std::string_view key) {
  WARDEN_ASSIGN_OR_RETURN(const boost::json::value* value,
                          Member(object, key, ""));
  if (!value->is_object()) {
    return Malformed("manifest: " + std::string(key) + " is not an object");
  }
  return &value->get_object();
}

bool IsHexDigest(std::string_view text) {
  return text.size() == 64 && std::ranges::all_of(text, [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

Result<BackupEntry> ParseEntry(const boost::json::value& value) {
  if (!value.is_object()) return Malformed("manifest: files[] not an object");
  const boost::json::object& object = value.get_object();
  BackupEntry entry;
  WARDEN_ASSIGN_OR_RETURN(entry.name, Text(object, "name", "files[]."));
  WARDEN_ASSIGN_OR_RETURN(entry.size, Count(object, "size", "files[]."));
  WARDEN_ASSIGN_OR_RETURN(entry.sha256, Text(object, "sha256", "files[]."));
  if (!IsHexDigest(entry.sha256)) {
    return Malformed("manifest: files[].sha256 is not a SHA-256 digest");
  }
  return entry;
}

Status ParseAudit(const boost::json::object& audit, BackupManifest& manifest) {
  WARDEN_ASSIGN_OR_RETURN(manifest.audit_head_sequence,
                          Count(audit, "head_sequence", "audit."));
  WARDEN_ASSIGN_OR_RETURN(manifest.audit_head_hash,
                          Text(audit, "head_hash", "audit."));
  WARDEN_ASSIGN_OR_RETURN(manifest.audit_keyed_from,
                          Count(audit, "keyed_from", "audit."));
  WARDEN_ASSIGN_OR_RETURN(const boost::json::value* checkpoint,
                          Member(audit, "checkpoint_sequence", "audit."));
  if (!checkpoint->is_null()) {
    WARDEN_ASSIGN_OR_RETURN(manifest.checkpoint_sequence,
                            Count(audit, "checkpoint_sequence", "audit."));
  }
  return Status::Ok();
}

Status ParseKeyFiles(const boost::json::object& root,
                     BackupManifest& manifest) {
  WARDEN_ASSIGN_OR_RETURN(const boost::json::value* names,
                          Member(root, "key_files", ""));
  if (!names->is_array() ||
      names->get_array().size() > kMaxBackupManifestKeyFiles) {
    return Malformed("manifest: key_files is not a short array");
  }
  for (const boost::json::value& name : names->get_array()) {
    if (!name.is_string() || name.get_string().empty() ||
        name.get_string().size() > kMaxBackupKeyFileNameBytes ||
        name.get_string().find('/') != boost::json::string::npos) {
      return Malformed("manifest: key_files[] is not a file name");
    }
    manifest.key_files.emplace_back(name.get_string());
  }
  return Status::Ok();
}

Status ParseManifestObject(const boost::json::object& root,
                           BackupManifest& manifest) {
  WARDEN_ASSIGN_OR_RETURN(std::string format, Text(root, "format", ""));
  if (format != kBackupManifestFormat) {
    return Malformed("manifest: unknown format \"" + format.substr(0, 64) +
                     "\"");
  }
  WARDEN_ASSIGN_OR_RETURN(std::string created, Text(root, "created_at", ""));
  Result<Timestamp> created_at = ParseRfc3339(created);
  if (!created_at.ok()) return Malformed("manifest: created_at is not a time");
  manifest.created_at = *created_at;
  WARDEN_ASSIGN_OR_RETURN(manifest.source, Text(root, "source", ""));
  WARDEN_ASSIGN_OR_RETURN(const boost::json::object* database,
                          Object(root, "database"));
  WARDEN_ASSIGN_OR_RETURN(int64_t tables,
                          Count(*database, "tables", "database."));
  manifest.tables = static_cast<int>(std::min<int64_t>(tables, INT32_MAX));
  WARDEN_ASSIGN_OR_RETURN(manifest.rows, Count(*database, "rows", "database."));
  WARDEN_ASSIGN_OR_RETURN(const boost::json::object* audit,
                          Object(root, "audit"));
  WARDEN_RETURN_IF_ERROR(ParseAudit(*audit, manifest));
  WARDEN_RETURN_IF_ERROR(ParseKeyFiles(root, manifest));
  WARDEN_ASSIGN_OR_RETURN(const boost::json::value* files,
                          Member(root, "files", ""));
  if (!files->is_array() || files->get_array().size() > 16) {
    return Malformed("manifest: files is not a short array");
  }
  for (const boost::json::value& file : files->get_array()) {
    WARDEN_ASSIGN_OR_RETURN(BackupEntry entry, ParseEntry(file));
    manifest.files.push_back(std::move(entry));
  }
  return Status::Ok();
}

// ---- framing ----

// One framing line without its newline; kMaxLineBytes at most.
Result<std::string> ReadLine(std::istream& in, std::string_view expected) {
  std::string line;
  char c = 0;
  while (in.get(c)) {
    if (c == '\n') return line;
    if (line.size() == kMaxLineBytes) {
      return Malformed("expected " + std::string(expected) +
                       ", found an overlong line");
    }
    line += c;
  }
  return Corrupt("truncated: ends where " + std::string(expected) +
                 " was expected");
}

// A decimal size without sign or leading zeros, at most `limit`.
Result<int64_t> ParseSize(std::string_view text, int64_t limit,
                          std::string_view what) {
  int64_t value = -1;
  auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0 ||
      (text.size() > 1 && text[0] == '0')) {
    return Malformed(std::string(what) + ": bad size");
  }
  if (value > limit) {
    return Malformed(std::string(what) + ": " + std::to_string(value) +
                     " bytes is over the limit of " + std::to_string(limit));
  }
  return value;
}

// Reads `size` bytes into `sink` (chunked) and the digest line after them;
// returns the digest.
Result<std::string> ReadBody(
    std::istream& in, const std::string& what, int64_t size,
    const std::function<Status(std::string_view)>& sink) {
  Sha256Stream hash;
  std::string chunk;
  for (int64_t left = size; left > 0;) {
    chunk.resize(static_cast<size_t>(
        std::min<int64_t>(left, static_cast<int64_t>(kChunkBytes))));
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    if (static_cast<size_t>(in.gcount()) != chunk.size()) {
      return Corrupt(what + ": truncated, " +
                     std::to_string(size - left + in.gcount()) + " of " +
                     std::to_string(size) + " bytes");
    }
    hash.Update(chunk);
    WARDEN_RETURN_IF_ERROR(sink(chunk));
    left -= static_cast<int64_t>(chunk.size());
  }
  char newline = 0;
  if (!in.get(newline)) return Corrupt(what + ": truncated after its bytes");
  if (newline != '\n') return Malformed(what + ": no newline after its bytes");
  WARDEN_ASSIGN_OR_RETURN(std::string line, ReadLine(in, what + "'s digest"));
  if (!line.starts_with("sha256 ") || !IsHexDigest(line.substr(7))) {
    return Malformed(what + ": expected a sha256 line after its bytes");
  }
  std::string digest = hash.HexDigest();
  if (line.substr(7) != digest) {
    return Corrupt(what + ": SHA-256 does not match (the backup is damaged)");
  }
  return digest;
}

// "file NAME SIZE" -> entry (name and size).
Result<BackupEntry> ParseFileLine(std::string_view line) {
  line.remove_prefix(5);
  const size_t space = line.find(' ');
  if (space == std::string_view::npos) return Malformed("bad file line");
  BackupEntry entry;
  entry.name = std::string(line.substr(0, space));
  if (!KnownFileName(entry.name)) {
    return Malformed("unknown file \"" + entry.name.substr(0, 64) +
                     "\" (a backup holds only warden.db and the audit "
                     "checkpoint files)");
  }
  WARDEN_ASSIGN_OR_RETURN(
      entry.size,
      ParseSize(line.substr(space + 1), SizeLimit(entry.name), entry.name));
  return entry;
}

Status ReadFile(std::istream& in, std::string_view line,
                std::vector<BackupEntry>& entries, BackupEntrySink& sink) {
  WARDEN_ASSIGN_OR_RETURN(BackupEntry entry, ParseFileLine(line));
  if (std::ranges::any_of(entries, [&](const BackupEntry& seen) {
        return seen.name == entry.name;
      })) {
    return Malformed(entry.name + " appears twice");
  }
  WARDEN_RETURN_IF_ERROR(sink.Begin(entry));
  WARDEN_ASSIGN_OR_RETURN(entry.sha256, ReadBody(in, entry.name, entry.size,
                                                 [&](std::string_view bytes) {
                                                   return sink.Write(bytes);
                                                 }));
  WARDEN_RETURN_IF_ERROR(sink.End(entry));
  entries.push_back(std::move(entry));
  return Status::Ok();
}

Result<BackupManifest> ReadManifest(std::istream& in, std::string_view line) {
  WARDEN_ASSIGN_OR_RETURN(
      int64_t size,
      ParseSize(line.substr(9), kMaxBackupManifestBytes, "manifest"));
  std::string json;
  WARDEN_RETURN_IF_ERROR(
      ReadBody(in, "manifest", size, [&](std::string_view bytes) {
        json.append(bytes);
        return Status::Ok();
      }).status());
  return ParseBackupManifest(json);
}

bool SameEntries(const std::vector<BackupEntry>& a,
                 const std::vector<BackupEntry>& b) {
  return std::ranges::equal(
      a, b, [](const BackupEntry& x, const BackupEntry& y) {
        return x.name == y.name && x.size == y.size && x.sha256 == y.sha256;
      });
}

Status CheckComplete(std::istream& in, const BackupManifest& manifest,
                     const std::vector<BackupEntry>& entries) {
  if (in.peek() != std::char_traits<char>::eof()) {
    return Malformed("bytes after the manifest");
  }
  if (!SameEntries(manifest.files, entries)) {
    return Malformed("the manifest does not list the files the backup holds");
  }
  if (entries.empty() || entries.front().name != kBackupDatabaseFile) {
    return Malformed("no database (warden.db must be the first file)");
  }
  return Status::Ok();
}

}  // namespace

std::string EncodeBackupManifest(const BackupManifest& manifest) {
  boost::json::array files;
  for (const BackupEntry& entry : manifest.files)
    files.push_back(EntryJson(entry));
  boost::json::array key_files;
  for (const std::string& name : manifest.key_files)
    key_files.emplace_back(name);
  boost::json::value checkpoint = nullptr;
  if (manifest.checkpoint_sequence) checkpoint = *manifest.checkpoint_sequence;
  boost::json::object root{
      {"format", kBackupManifestFormat},
      {"created_at", FormatRfc3339(manifest.created_at)},
      {"source", manifest.source},
      {"database", {{"tables", manifest.tables}, {"rows", manifest.rows}}},
      {"audit",
       {{"head_sequence", manifest.audit_head_sequence},
        {"head_hash", manifest.audit_head_hash},
        {"keyed_from", manifest.audit_keyed_from},
        {"checkpoint_sequence", checkpoint}}},
      {"key_files", std::move(key_files)},
      {"files", std::move(files)}};
  return boost::json::serialize(root);
}

Result<BackupManifest> ParseBackupManifest(std::string_view json) {
  if (json.size() > static_cast<size_t>(kMaxBackupManifestBytes)) {
    return Malformed("manifest: over the size limit");
  }
  Result<boost::json::object> root =
      ParseJsonObjectText(json, {.max_depth = kMaxBackupManifestDepth});
  if (!root.ok()) return Malformed("manifest: " + root.status().message());
  BackupManifest manifest;
  WARDEN_RETURN_IF_ERROR(ParseManifestObject(*root, manifest));
  return manifest;
}

// ---- writer ----

Result<std::unique_ptr<BackupArchiveWriter>> BackupArchiveWriter::Create(
    const std::string& path) {
  const int fd = ::open(
      path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return AlreadyExists(path + " already exists");
    return Unavailable("create " + path + ": " + std::strerror(errno));
  }
  std::FILE* file = ::fdopen(fd, "wb");
  if (file == nullptr) {
    ::close(fd);
    return Unavailable("open " + path + ": " + std::strerror(errno));
  }
  std::unique_ptr<BackupArchiveWriter> writer(
      new BackupArchiveWriter(file, path));
  WARDEN_RETURN_IF_ERROR(writer->Put(std::string(kBackupFormatLine) + "\n"));
  return writer;
}

BackupArchiveWriter::~BackupArchiveWriter() {
  if (file_ != nullptr) std::fclose(file_);
}

Status BackupArchiveWriter::Put(std::string_view bytes) {
  if (file_ == nullptr) return Internal("write " + path_ + ": closed");
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) {
    return Unavailable("write " + path_ + ": " + std::strerror(errno));
  }
  size_ += static_cast<int64_t>(bytes.size());
  return Status::Ok();
}

Status BackupArchiveWriter::Section(const std::string& header,
                                    std::string_view body) {
  WARDEN_RETURN_IF_ERROR(Put(header + "\n"));
  WARDEN_RETURN_IF_ERROR(Put(body));
  return Put("\nsha256 " + Sha256Hex(body) + "\n");
}

Status BackupArchiveWriter::AddBytes(const std::string& name,
                                     std::string_view contents) {
  const auto size = static_cast<int64_t>(contents.size());
  WARDEN_RETURN_IF_ERROR(
      Section("file " + name + " " + std::to_string(size), contents));
  entries_.push_back({name, size, Sha256Hex(contents)});
  return Status::Ok();
}

Status BackupArchiveWriter::AddFile(const std::string& name,
                                    const std::string& source_path) {
  std::ifstream in(source_path, std::ios::binary);
  std::error_code ec;
  const auto size =
      static_cast<int64_t>(std::filesystem::file_size(source_path, ec));
  if (!in || ec) return Unavailable("read " + source_path);
  WARDEN_RETURN_IF_ERROR(
      Put("file " + name + " " + std::to_string(size) + "\n"));
  Sha256Stream hash;
  std::string chunk(kChunkBytes, '\0');
  int64_t copied = 0;
  while (in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const std::string_view got(chunk.data(), static_cast<size_t>(in.gcount()));
    hash.Update(got);
    WARDEN_RETURN_IF_ERROR(Put(got));
    copied += static_cast<int64_t>(got.size());
  }
  if (in.bad() || copied != size) {
    return Unavailable("read " + source_path + ": changed while copied");
  }
  std::string digest = hash.HexDigest();
  WARDEN_RETURN_IF_ERROR(Put("\nsha256 " + digest + "\n"));
  entries_.push_back({name, size, std::move(digest)});
  return Status::Ok();
}

Status BackupArchiveWriter::Finish(BackupManifest manifest) {
  manifest.files = entries_;
  const std::string json = EncodeBackupManifest(manifest);
  WARDEN_RETURN_IF_ERROR(
      Section("manifest " + std::to_string(json.size()), json));
  const bool flushed = std::fflush(file_) == 0 && ::fsync(fileno(file_)) == 0;
  const int err = errno;
  const bool closed = std::fclose(file_) == 0;
  file_ = nullptr;
  if (!flushed || !closed) {
    return Unavailable("write " + path_ + ": " + std::strerror(err));
  }
  return Status::Ok();
}

// ---- reader ----

Result<BackupManifest> ReadBackupArchive(std::istream& in,
                                         BackupEntrySink& sink) {
  Result<std::string> first = ReadLine(in, "the format line");
  if (!first.ok() || *first != kBackupFormatLine) {
    return Malformed("not a Warden backup (it does not start with \"" +
                     std::string(kBackupFormatLine) + "\")");
  }
  std::vector<BackupEntry> entries;
  for (;;) {
    WARDEN_ASSIGN_OR_RETURN(std::string line,
                            ReadLine(in, "a file or the manifest"));
    if (line.starts_with("manifest ")) {
      WARDEN_ASSIGN_OR_RETURN(BackupManifest manifest, ReadManifest(in, line));
      WARDEN_RETURN_IF_ERROR(CheckComplete(in, manifest, entries));
      return manifest;
    }
    if (!line.starts_with("file ")) {
      return Malformed("expected a file or the manifest, found \"" +
                       line.substr(0, 32) + "\"");
    }
    if (entries.size() == std::size(kBackupFileNames)) {
      return Malformed("more files than a backup holds");
    }
    WARDEN_RETURN_IF_ERROR(ReadFile(in, line, entries, sink));
  }
}

}  // namespace warden::server
