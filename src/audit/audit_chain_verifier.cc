#include "audit/audit_chain_verifier.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <limits>
#include <thread>
#include <vector>

#include "audit/audit_anchor.h"
#include "core/audit_link_hasher.h"

namespace warden {
namespace {

constexpr int kKeyed = static_cast<int>(AuditHashFormat::kHmacSha256);
constexpr int kUnkeyed = static_cast<int>(AuditHashFormat::kSha256);

// The last record a range saw, as the next record's link is checked
// against it. Starts as the genesis "record 0".
struct ChainPosition {
  int64_t sequence = 0;
  std::string hash = kAuditGenesisHash;
  int format = kUnkeyed;
};

// The result of verifying one sequence range on its own.
struct RangeScan {
  int64_t records = 0;  // records that passed
  int64_t bytes = 0;
  bool empty = true;
  // The first record's link is checked when ranges are joined.
  int64_t first_sequence = 0;
  std::string first_prev_hash;
  int first_format = kUnkeyed;
  ChainPosition last;
  int64_t keyed_from = 0;
  std::optional<std::string> hash_at_checkpoint;
  std::optional<int64_t> broken;  // first problem inside the range
  std::string problem;
  Status status;
};

// What is wrong with `record`'s link to `previous`, or "".
std::string LinkProblem(const ChainPosition& previous, int64_t sequence,
                        std::string_view prev_hash, int format) {
  if (sequence != previous.sequence + 1) {
    return fmt::format("sequence gap: expected {}, found {}",
                       previous.sequence + 1, sequence);
  }
  if (prev_hash != previous.hash) {
    return previous.sequence == 0
               ? std::string("first record's prev_hash is not the genesis hash")
               : fmt::format("prev_hash does not match the hash of record {}",
                             previous.sequence);
  }
  if (format == kUnkeyed && previous.format == kKeyed) {
    return "unkeyed record after the chain was keyed (a rewrite without the "
           "audit key)";
  }
  return {};
}

// Verifies the records in [first, last]; stops at its first problem, or at
// a record past `*stop_after` (a problem another range already found
// earlier in the chain makes the rest irrelevant).
class RangeVerifier {
 public:
  RangeVerifier(const AuditVerifyOptions& options,
                std::atomic<int64_t>& stop_after)
      : options_(options), hasher_(options.key), stop_after_(stop_after) {}

  RangeScan Run(Store& store, int64_t first, int64_t last) {
    const Status read = store.Read([&](Transaction& tx) {
      return tx.audit().Scan(
          first, last, [this](const AuditRecordView& r) { return Visit(r); });
    });
    if (!read.ok()) scan_.status = read;
    return std::move(scan_);
  }

 private:
  bool Visit(const AuditRecordView& record) {
    if (record.sequence > stop_after_.load(std::memory_order_relaxed)) {
      return false;
    }
    if (scan_.empty) {
      scan_.empty = false;
      scan_.first_sequence = record.sequence;
      scan_.first_prev_hash = record.prev_hash;
      scan_.first_format = record.format;
    } else if (std::string problem =
                   LinkProblem(scan_.last, record.sequence, record.prev_hash,
                               record.format);
               !problem.empty()) {
      return Broken(record.sequence, std::move(problem));
    }
    if (!hasher_.CanHash(record.format)) {
      if (record.format == kKeyed) {
        scan_.status = FailedPrecondition(
            fmt::format("audit record {} is keyed (HMAC-SHA-256): verifying "
                        "it needs the audit key (audit.key)",
                        record.sequence),
            "audit-key-required");
        Stop(record.sequence);
        return false;
      }
      return Broken(record.sequence,
                    fmt::format("unknown hash format {}", record.format));
    }
    const AuditHexDigest hash = hasher_.Hash(record);
    scan_.bytes += static_cast<int64_t>(hasher_.last_encoding_size());
    if (record.hash != std::string_view(hash.data(), hash.size())) {
      return Broken(record.sequence,
                    "stored hash does not match the record's contents");
    }
    Accept(record);
    return true;
  }

  void Accept(const AuditRecordView& record) {
    ++scan_.records;
    scan_.last.sequence = record.sequence;
    scan_.last.hash.assign(record.hash);
    scan_.last.format = record.format;
    if (record.format == kKeyed && scan_.keyed_from == 0) {
      scan_.keyed_from = record.sequence;
    }
    if (options_.checkpoint != nullptr &&
        record.sequence == options_.checkpoint->sequence) {
      scan_.hash_at_checkpoint = std::string(record.hash);
    }
  }

  bool Broken(int64_t sequence, std::string problem) {
    scan_.broken = sequence;
    scan_.problem = std::move(problem);
    Stop(sequence);
    return false;
  }

  // Lowers the shared bound so ranges further on stop early.
  void Stop(int64_t sequence) {
    int64_t current = stop_after_.load();
    while (sequence < current &&
           !stop_after_.compare_exchange_weak(current, sequence)) {
    }
  }

  const AuditVerifyOptions& options_;
  AuditLinkHasher hasher_;
  std::atomic<int64_t>& stop_after_;
  RangeScan scan_;
};

int ThreadCount(const AuditVerifyOptions& options, int64_t records) {
  if (records < options.parallel_min_records) return 1;
  int threads = options.threads;
  if (threads <= 0) {
    threads = static_cast<int>(std::thread::hardware_concurrency());
  }
  return std::clamp(threads, 1, kMaxVerifyThreads);
}

// Splits [start, head] into `count` ranges and verifies them concurrently
// (the first on the calling thread).
std::vector<RangeScan> ScanRanges(Store& store,
                                  const AuditVerifyOptions& options,
                                  int64_t start, int64_t head, int count) {
  std::atomic<int64_t> stop_after{std::numeric_limits<int64_t>::max()};
  std::vector<RangeScan> scans(static_cast<size_t>(count));
  const int64_t size = (head - start + count) / count;
  auto run = [&](int i) {
    const int64_t first = start + i * size;
    const int64_t last = std::min(head, first + size - 1);
    scans[static_cast<size_t>(i)] =
        RangeVerifier(options, stop_after).Run(store, first, last);
  };
  std::vector<std::thread> threads;
  for (int i = 1; i < count; ++i) threads.emplace_back(run, i);
  run(0);
  for (std::thread& thread : threads) thread.join();
  return scans;
}

void MarkBroken(AuditVerification& out, int64_t sequence, std::string problem) {
  out.first_broken_sequence = sequence;
  out.problem = std::move(problem);
}

// Joins the ranges in order: each range's first record must link to the
// previous range's last. Fills `out` up to the first problem.
Status JoinRanges(std::vector<RangeScan>& scans, ChainPosition previous,
                  AuditVerification& out,
                  std::optional<std::string>& hash_at_checkpoint) {
  for (RangeScan& scan : scans) {
    out.bytes_hashed += scan.bytes;
    if (scan.empty && scan.status.ok()) continue;
    if (!scan.empty) {
      std::string problem =
          LinkProblem(previous, scan.first_sequence, scan.first_prev_hash,
                      scan.first_format);
      if (!problem.empty()) {
        MarkBroken(out, scan.first_sequence, std::move(problem));
        return Status::Ok();
      }
    }
    out.records_checked += scan.records;
    if (out.keyed_from == 0) out.keyed_from = scan.keyed_from;
    if (scan.hash_at_checkpoint) hash_at_checkpoint = scan.hash_at_checkpoint;
    if (!scan.status.ok()) return scan.status;
    if (scan.broken) {
      MarkBroken(out, *scan.broken, std::move(scan.problem));
      return Status::Ok();
    }
    previous = std::move(scan.last);
  }
  out.last_sequence = previous.sequence;
  return Status::Ok();
}

// Compares an intact log with the checkpoint.
void CheckAgainst(const AuditCheckpoint& checkpoint,
                  const std::optional<std::string>& hash_at_checkpoint,
                  AuditVerification& out) {
  if (checkpoint.sequence > out.last_sequence) {
    out.missing_records = checkpoint.sequence - out.last_sequence;
    return;
  }
  const int64_t anchored = out.anchor ? out.anchor->sequence : 0;
  // Archived before the anchor: nothing left here to compare it with.
  if (checkpoint.sequence < anchored) return;
  const std::string expected =
      checkpoint.sequence == 0          ? std::string(kAuditGenesisHash)
      : checkpoint.sequence == anchored ? out.anchor->hash
                                        : hash_at_checkpoint.value_or("");
  if (expected != checkpoint.hash) {
    out.records_checked = checkpoint.sequence - 1;
    MarkBroken(out, checkpoint.sequence,
               "hash differs from the signed checkpoint's");
  }
}

// Where verification of a pruned chain starts: its anchor, once its
// signature verifies. False (and `out` marked broken) when it does not.
Result<bool> StartAtAnchor(const AuditVerifyOptions& options,
                           AuditVerification& out, ChainPosition& start) {
  const AuditAnchorRecord& anchor = *out.anchor;
  if (options.anchor_public_key.empty()) {
    return FailedPrecondition(
        fmt::format("the audit chain starts at an anchor (records up to {} "
                    "were archived): verifying it needs the checkpoint "
                    "public key (audit-checkpoint.pub)",
                    anchor.sequence),
        "audit-anchor-unverifiable");
  }
  const Status signature = VerifyAuditAnchor(anchor, options.anchor_public_key);
  if (!signature.ok()) {
    MarkBroken(out, anchor.sequence + 1,
               "the chain anchor does not verify: " + signature.message());
    return false;
  }
  start = ChainPosition{anchor.sequence, anchor.hash, anchor.format};
  out.last_sequence = anchor.sequence;
  return true;
}

}  // namespace

Result<AuditVerification> VerifyAuditChain(Store& store,
                                           const AuditVerifyOptions& options) {
  int64_t head = 0;
  AuditVerification out;
  WARDEN_RETURN_IF_ERROR(store.Read([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(std::optional<AuditRecord> last, tx.audit().Head());
    head = last ? last->sequence : 0;
    WARDEN_ASSIGN_OR_RETURN(out.anchor, tx.audit().Anchor());
    return Status::Ok();
  }));
  ChainPosition start;
  if (out.anchor) {
    WARDEN_ASSIGN_OR_RETURN(bool anchored, StartAtAnchor(options, out, start));
    if (!anchored) return out;
  }
  std::optional<std::string> hash_at_checkpoint;
  if (head > start.sequence) {
    const int64_t first = start.sequence + 1;
    std::vector<RangeScan> scans = ScanRanges(
        store, options, first, head, ThreadCount(options, head - first + 1));
    WARDEN_RETURN_IF_ERROR(
        JoinRanges(scans, std::move(start), out, hash_at_checkpoint));
  }
  if (out.first_broken_sequence || options.checkpoint == nullptr) return out;
  CheckAgainst(*options.checkpoint, hash_at_checkpoint, out);
  return out;
}

}  // namespace warden
