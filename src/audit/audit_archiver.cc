#include "audit/audit_archiver.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <filesystem>
#include <memory>
#include <optional>

#include "audit/audit_anchor.h"
#include "audit/audit_archive_writer.h"
#include "core/audit_link_hasher.h"

namespace warden {
namespace {

constexpr int kKeyed = static_cast<int>(AuditHashFormat::kHmacSha256);
constexpr int kUnkeyed = static_cast<int>(AuditHashFormat::kSha256);

// Where the archive continues the chain: the anchor, or genesis.
struct Start {
  int64_t sequence = 0;
  std::string hash = kAuditGenesisHash;
  int format = kUnkeyed;
};

Status CheckOptions(const AuditArchiveOptions& options) {
  if (options.signer == nullptr || options.clock == nullptr ||
      options.path.empty()) {
    return InvalidArgument("audit archive: signer, clock and path required");
  }
  return Status::Ok();
}

Result<Start> ReadStart(Store& store, const AuditCheckpointSigner& signer) {
  std::optional<AuditAnchorRecord> anchor;
  WARDEN_RETURN_IF_ERROR(store.Read([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(anchor, tx.audit().Anchor());
    return Status::Ok();
  }));
  if (!anchor) return Start{};
  WARDEN_RETURN_IF_ERROR(VerifyAuditAnchor(*anchor, signer.public_key()));
  return Start{anchor->sequence, anchor->hash, anchor->format};
}

// Reads the records to archive into the writer, checking the chain.
class RangeArchiver {
 public:
  RangeArchiver(const AuditArchiveOptions& options, const Start& start,
                AuditArchiveWriter& writer)
      : options_(options),
        hasher_(options.key),
        writer_(writer),
        last_sequence_(start.sequence),
        last_hash_(start.hash),
        last_format_(start.format) {}

  // Records after the start, before the checkpoint and the cutoff.
  Status Run(Store& store) {
    const int64_t first = last_sequence_ + 1;
    int64_t last = options_.checkpoint_sequence - 1;
    if (options_.max_records > 0) {
      last = std::min(last, last_sequence_ + options_.max_records);
    }
    if (last < first) return Status::Ok();
    WARDEN_RETURN_IF_ERROR(store.Read([&](Transaction& tx) {
      return tx.audit().Scan(
          first, last, [this](const AuditRecordView& r) { return Visit(r); });
    }));
    return status_;
  }

  int64_t records() const { return records_; }
  int64_t last_sequence() const { return last_sequence_; }
  const std::string& last_hash() const { return last_hash_; }
  int last_format() const { return last_format_; }

 private:
  bool Visit(const AuditRecordView& record) {
    if (record.time_us >= ToMicros(options_.older_than)) return false;
    std::string problem = Problem(record);
    if (!problem.empty()) {
      status_ = FailedPrecondition(
          fmt::format("audit archive: record {} is broken ({}); nothing was "
                      "archived: run `warden audit verify`",
                      record.sequence, problem),
          "audit-chain-broken");
      return false;
    }
    status_ = writer_.Add(record);
    if (!status_.ok()) return false;
    ++records_;
    last_sequence_ = record.sequence;
    last_hash_.assign(record.hash);
    last_format_ = record.format;
    return true;
  }

  std::string Problem(const AuditRecordView& record) {
    if (record.sequence != last_sequence_ + 1) {
      return fmt::format("expected sequence {}", last_sequence_ + 1);
    }
    if (record.prev_hash != last_hash_) {
      return last_sequence_ == 0 ? "prev_hash is not the genesis hash"
                                 : "prev_hash does not match the record "
                                   "before it";
    }
    if (record.format == kUnkeyed && last_format_ == kKeyed) {
      return "unkeyed record after the chain was keyed";
    }
    if (!hasher_.CanHash(record.format)) {
      return record.format == kKeyed
                 ? "keyed, and no audit key was given to verify it"
                 : fmt::format("unknown hash format {}", record.format);
    }
    const AuditHexDigest hash = hasher_.Hash(record);
    if (record.hash != std::string_view(hash.data(), hash.size())) {
      return "stored hash does not match the record's contents";
    }
    return {};
  }

  const AuditArchiveOptions& options_;
  AuditLinkHasher hasher_;
  AuditArchiveWriter& writer_;
  int64_t records_ = 0;
  int64_t last_sequence_;
  std::string last_hash_;
  int last_format_;
  Status status_;
};

AuditEvent ArchiveEvent(const AuditArchiveOptions& options,
                        const AuditArchiveManifest& manifest, Timestamp now) {
  AuditEvent event;
  event.time = now;
  event.actor = options.actor;
  event.action = kAuditArchiveAction;
  event.target = "audit";
  event.outcome = "ok";
  event.details = boost::json::serialize(boost::json::object{
      {"first_sequence", manifest.first_sequence},
      {"last_sequence", manifest.last_sequence},
      {"records", manifest.records},
      {"last_hash", manifest.last_hash},
      {"records_sha256", manifest.records_sha256},
      {"archive", std::filesystem::path(options.path).filename().string()}});
  return event;
}

// Step 4: prune, anchor and audit in one transaction.
Result<int64_t> Prune(Store& store, const AuditArchiveOptions& options,
                      const Start& start, const RangeArchiver& range,
                      const AuditArchiveManifest& manifest) {
  const Timestamp now = options.clock->Now();
  AuditAnchorRecord anchor;
  anchor.sequence = range.last_sequence();
  anchor.hash = range.last_hash();
  anchor.format = range.last_format();
  anchor.time_us = ToMicros(now);
  SignAuditAnchor(*options.signer, anchor);
  const AuditEvent event = ArchiveEvent(options, manifest, now);
  int64_t deleted = 0;
  WARDEN_RETURN_IF_ERROR(store.Write([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(deleted, tx.audit().Prune(start.sequence, anchor));
    return tx.audit().Append(event).status();
  }));
  return deleted;
}

}  // namespace

Result<AuditArchiveOutcome> ArchiveAuditLog(
    Store& store, const AuditArchiveOptions& options) {
  WARDEN_RETURN_IF_ERROR(CheckOptions(options));
  WARDEN_ASSIGN_OR_RETURN(Start start, ReadStart(store, *options.signer));
  WARDEN_ASSIGN_OR_RETURN(std::unique_ptr<AuditArchiveWriter> writer,
                          AuditArchiveWriter::Create(options.path));
  RangeArchiver range(options, start, *writer);
  WARDEN_RETURN_IF_ERROR(range.Run(store));
  AuditArchiveOutcome outcome;
  if (range.records() == 0) return outcome;  // the writer removes its file
  WARDEN_ASSIGN_OR_RETURN(
      outcome.manifest, writer->Finish(*options.signer, options.clock->Now()));
  outcome.file_bytes = writer->file_bytes();
  outcome.raw_bytes = writer->raw_bytes();
  const auto pruning = std::chrono::steady_clock::now();
  Result<int64_t> deleted =
      Prune(store, options, start, range, outcome.manifest);
  outcome.prune_time = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - pruning);
  if (!deleted.ok()) {
    std::error_code ignored;
    std::filesystem::remove(options.path, ignored);
    return deleted.status().WithContext("audit archive (" + options.path +
                                        " removed)");
  }
  outcome.archived = true;
  outcome.deleted = *deleted;
  return outcome;
}

}  // namespace warden
