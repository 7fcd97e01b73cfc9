#include "audit/audit_archive_verifier.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sodium.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cerrno>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>

#include "core/audit_link_hasher.h"
#include "core/crypto.h"
#include "core/json_text.h"

namespace warden {
namespace {

constexpr size_t kHashHexDigits = 64;
constexpr int kUnkeyed = static_cast<int>(AuditHashFormat::kSha256);
constexpr int kKeyed = static_cast<int>(AuditHashFormat::kHmacSha256);
// A record is a flat object.
constexpr int kMaxRecordJsonDepth = 2;
constexpr size_t kRecordFields = 10;
// windowBits + 32: inflate accepts the gzip wrapper (and checks its CRC).
constexpr int kGunzipWindowBits = 15 + 32;
constexpr size_t kReadBytes = 256 * 1024;

// The record of one line, its text fields pointing into the parsed JSON.
struct ParsedRecord {
  boost::json::object json;
  AuditRecordView view;
};

std::string_view Text(const boost::json::object& o, std::string_view name,
                      bool& ok) {
  const boost::json::value* v = o.if_contains(name);
  if (v == nullptr || !v->is_string()) {
    ok = false;
    return {};
  }
  return {v->get_string().data(), v->get_string().size()};
}

int64_t Int(const boost::json::object& o, std::string_view name, bool& ok) {
  const boost::json::value* v = o.if_contains(name);
  if (v == nullptr || !v->is_int64()) {
    ok = false;
    return 0;
  }
  return v->get_int64();
}

// "" when `line` is a well-formed record (filled into `out`), else what is
// wrong with it.
std::string ParseRecord(std::string_view line, ParsedRecord& out) {
  // Record fields are bytes as stored; the writer passes them through.
  Result<boost::json::object> parsed = ParseJsonObjectText(
      line, {.max_depth = kMaxRecordJsonDepth, .allow_invalid_utf8 = true});
  if (!parsed.ok()) return parsed.status().message();
  out.json = std::move(*parsed);
  const boost::json::object& o = out.json;
  bool ok = o.size() == kRecordFields;
  AuditRecordView& r = out.view;
  r.sequence = Int(o, "sequence", ok);
  r.time_us = Int(o, "time_us", ok);
  r.actor = Text(o, "actor", ok);
  r.action = Text(o, "action", ok);
  r.target = Text(o, "target", ok);
  r.outcome = Text(o, "outcome", ok);
  r.details = Text(o, "details", ok);
  r.prev_hash = Text(o, "prev_hash", ok);
  r.hash = Text(o, "hash", ok);
  const int64_t format = Int(o, "format", ok);
  if (!ok) return "not a record (fields missing, extra or mistyped)";
  if (r.sequence <= 0) return "sequence is not positive";
  if (!IsLowerHexOfLength(r.prev_hash, kHashHexDigits) ||
      !IsLowerHexOfLength(r.hash, kHashHexDigits)) {
    return "prev_hash or hash is not 64 lowercase hex digits";
  }
  if (format != kUnkeyed && format != kKeyed) {
    return fmt::format("unknown hash format {}", format);
  }
  r.format = static_cast<int>(format);
  return {};
}

Status Mismatch(std::string_view field, const std::string& manifest,
                const std::string& found) {
  return AuditArchiveBroken(fmt::format(
      "{}: the manifest says {}, the records give {}", field, manifest, found));
}

}  // namespace

struct AuditArchiveVerifier::State {
  explicit State(AuditArchiveVerifyOptions o)
      : options(std::move(o)), hasher(options.key) {
    crypto_hash_sha256_init(&digest);
  }

  AuditArchiveVerifyOptions options;
  AuditLinkHasher hasher;
  crypto_hash_sha256_state digest{};
  std::string buffer;  // bytes after the last complete line
  // The last complete line, not yet known to be a record: the last line of
  // all is the manifest.
  std::optional<std::string> held;
  int64_t line_number = 0;  // of `held`
  AuditArchiveSummary summary;
  // The chain so far.
  int64_t records = 0;
  int64_t first_sequence = 0;
  std::string anchor_hash;
  int64_t last_sequence = 0;
  std::string last_hash;
  int last_format = kUnkeyed;
  Status failed;
};

AuditArchiveVerifier::AuditArchiveVerifier(AuditArchiveVerifyOptions options)
    : state_(std::make_unique<State>(std::move(options))) {}

AuditArchiveVerifier::~AuditArchiveVerifier() = default;

Status AuditArchiveVerifier::Consume(std::string_view bytes) {
  State& s = *state_;
  if (!s.failed.ok()) return s.failed;
  s.summary.raw_bytes += static_cast<int64_t>(bytes.size());
  while (!bytes.empty()) {
    const size_t newline = bytes.find('\n');
    const std::string_view piece = bytes.substr(0, newline);
    if (s.buffer.size() + piece.size() > kMaxAuditArchiveLineBytes) {
      s.failed = AuditArchiveBroken(
          fmt::format("line {} is longer than {} bytes", s.line_number + 1,
                      kMaxAuditArchiveLineBytes));
      return s.failed;
    }
    s.buffer.append(piece);
    if (newline == std::string_view::npos) break;
    bytes.remove_prefix(newline + 1);
    std::string line = std::move(s.buffer);
    s.buffer.clear();
    s.failed = Line(line);
    if (!s.failed.ok()) return s.failed;
  }
  return Status::Ok();
}

// The held line was not the last: it is a record.
Status AuditArchiveVerifier::Line(std::string_view line) {
  State& s = *state_;
  if (s.held) WARDEN_RETURN_IF_ERROR(Record(*s.held));
  s.held = std::string(line);
  ++s.line_number;
  return Status::Ok();
}

Status AuditArchiveVerifier::Record(std::string_view line) {
  State& s = *state_;
  ParsedRecord parsed;
  std::string problem = ParseRecord(line, parsed);
  const AuditRecordView& r = parsed.view;
  if (problem.empty() && s.records > 0) {
    if (r.sequence != s.last_sequence + 1) {
      problem = fmt::format(
          "sequence {} follows {} (a record is missing or out of order)",
          r.sequence, s.last_sequence);
    } else if (r.prev_hash != s.last_hash) {
      problem = fmt::format("prev_hash does not match the hash of record {}",
                            s.last_sequence);
    } else if (r.format == kUnkeyed && s.last_format == kKeyed) {
      problem = "unkeyed record after the chain was keyed";
    }
  }
  if (problem.empty() && s.hasher.CanHash(r.format)) {
    const AuditHexDigest hash = s.hasher.Hash(r);
    if (r.hash != std::string_view(hash.data(), hash.size())) {
      problem = "stored hash does not match the record's contents";
    }
    ++s.summary.rehashed;
  }
  if (!problem.empty()) {
    return AuditArchiveBroken(
        fmt::format("line {}{}: {}", s.line_number,
                    r.sequence > 0 ? fmt::format(" (sequence {})", r.sequence)
                                   : std::string(),
                    problem));
  }
  if (s.records == 0) {
    s.first_sequence = r.sequence;
    s.anchor_hash = r.prev_hash;
  }
  if (r.format == kKeyed && s.summary.keyed_from == 0) {
    s.summary.keyed_from = r.sequence;
  }
  ++s.records;
  s.last_sequence = r.sequence;
  s.last_hash.assign(r.hash);
  s.last_format = r.format;
  crypto_hash_sha256_update(&s.digest,
                            reinterpret_cast<const unsigned char*>(line.data()),
                            line.size());
  crypto_hash_sha256_update(&s.digest,
                            reinterpret_cast<const unsigned char*>("\n"), 1);
  return Status::Ok();
}

Result<AuditArchiveSummary> AuditArchiveVerifier::Finish() {
  State& s = *state_;
  if (!s.failed.ok()) return s.failed;
  // A last line without its newline still counts.
  if (!s.buffer.empty()) {
    std::string line = std::move(s.buffer);
    s.buffer.clear();
    WARDEN_RETURN_IF_ERROR(Line(line));
  }
  if (!s.held) return AuditArchiveBroken("empty: no records and no manifest");
  Result<AuditArchiveManifest> parsed = ParseAuditArchiveManifest(*s.held);
  if (!parsed.ok()) {
    return AuditArchiveBroken(fmt::format(
        "the last line ({}) is not a manifest ({}); the archive is truncated "
        "or altered",
        s.line_number, parsed.status().message()));
  }
  const AuditArchiveManifest& m = *parsed;
  WARDEN_RETURN_IF_ERROR(VerifyAuditSignature(
      "audit archive manifest", ManifestSigningInput(m), m.key_id, m.signature,
      s.options.public_key, kAuditArchiveBrokenProblem));
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&s.digest, digest);
  const std::string digest_hex = HexEncode(digest, sizeof(digest));
  if (m.records != s.records) {
    return Mismatch("record count", std::to_string(m.records),
                    std::to_string(s.records));
  }
  if (m.first_sequence != s.first_sequence) {
    return Mismatch("first_sequence", std::to_string(m.first_sequence),
                    std::to_string(s.first_sequence));
  }
  if (m.last_sequence != s.last_sequence) {
    return Mismatch("last_sequence", std::to_string(m.last_sequence),
                    std::to_string(s.last_sequence));
  }
  if (m.anchor_hash != s.anchor_hash) {
    return Mismatch("anchor_hash", m.anchor_hash, s.anchor_hash);
  }
  if (m.last_hash != s.last_hash) {
    return Mismatch("last_hash", m.last_hash, s.last_hash);
  }
  if (m.records_sha256 != digest_hex) {
    return AuditArchiveBroken(
        "records_sha256 does not match the record lines (a record was "
        "altered)");
  }
  s.summary.manifest = m;
  return s.summary;
}

namespace {

// Inflates the gzip stream `read` returns piece by piece into `verifier`.
Result<AuditArchiveSummary> Gunzip(
    const std::function<Result<size_t>(char*, size_t)>& read,
    AuditArchiveVerifier& verifier) {
  z_stream stream{};
  if (inflateInit2(&stream, kGunzipWindowBits) != Z_OK) {
    return Internal("inflateInit2 failed");
  }
  std::unique_ptr<z_stream, void (*)(z_stream*)> guard(
      &stream, [](z_stream* s) { inflateEnd(s); });
  auto in = std::make_unique<char[]>(kReadBytes);
  auto out = std::make_unique<char[]>(kReadBytes);
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    WARDEN_ASSIGN_OR_RETURN(size_t got, read(in.get(), kReadBytes));
    if (got == 0) {
      return AuditArchiveBroken("truncated: the gzip stream ends early");
    }
    stream.next_in = reinterpret_cast<Bytef*>(in.get());
    stream.avail_in = static_cast<uInt>(got);
    do {
      stream.next_out = reinterpret_cast<Bytef*>(out.get());
      stream.avail_out = static_cast<uInt>(kReadBytes);
      rc = inflate(&stream, Z_NO_FLUSH);
      if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
        return AuditArchiveBroken(
            fmt::format("not a valid gzip stream ({})",
                        stream.msg != nullptr ? stream.msg : "corrupt data"));
      }
      WARDEN_RETURN_IF_ERROR(verifier.Consume(
          std::string_view(out.get(), kReadBytes - stream.avail_out)));
    } while (stream.avail_out == 0 && rc != Z_STREAM_END);
    if (rc == Z_STREAM_END && stream.avail_in > 0) {
      return AuditArchiveBroken("bytes after the end of the gzip stream");
    }
  }
  WARDEN_ASSIGN_OR_RETURN(size_t rest, read(in.get(), 1));
  if (rest != 0) {
    return AuditArchiveBroken("bytes after the end of the gzip stream");
  }
  return verifier.Finish();
}

}  // namespace

Result<AuditArchiveSummary> VerifyAuditArchiveGzip(
    std::string_view gzip_bytes, const AuditArchiveVerifyOptions& options) {
  AuditArchiveVerifier verifier(options);
  return Gunzip(
      [&](char* into, size_t size) -> Result<size_t> {
        const size_t n = std::min(size, gzip_bytes.size());
        std::memcpy(into, gzip_bytes.data(), n);
        gzip_bytes.remove_prefix(n);
        return n;
      },
      verifier);
}

Result<AuditArchiveSummary> VerifyAuditArchiveFile(
    const std::string& path, const AuditArchiveVerifyOptions& options) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return NotFound("audit archive: no file " + path);
    return Unavailable("open " + path + ": " + std::strerror(errno));
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  AuditArchiveVerifier verifier(options);
  Result<AuditArchiveSummary> summary = Gunzip(
      [&](char* into, size_t size) -> Result<size_t> {
        while (true) {
          const ssize_t n = ::read(fd, into, size);
          if (n >= 0) return static_cast<size_t>(n);
          if (errno != EINTR) {
            return Unavailable("read " + path + ": " + std::strerror(errno));
          }
        }
      },
      verifier);
  if (!summary.ok()) return summary.status().WithContext(path);
  return summary;
}

Status CheckAuditArchiveLink(const AuditArchiveManifest& previous,
                             const AuditArchiveManifest& next) {
  if (next.first_sequence != previous.last_sequence + 1) {
    return AuditArchiveBroken(fmt::format(
        "does not continue the previous archive: it starts at sequence {}, "
        "the previous one ends at {}",
        next.first_sequence, previous.last_sequence));
  }
  if (next.anchor_hash != previous.last_hash) {
    return AuditArchiveBroken(
        "does not continue the previous archive: its anchor_hash is not the "
        "previous archive's last_hash");
  }
  return Status::Ok();
}

}  // namespace warden
