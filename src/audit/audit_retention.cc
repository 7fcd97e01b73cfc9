#include "audit/audit_retention.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>

namespace warden {
namespace {

// Sequences are zero-padded so file names sort in chain order.
constexpr int kSequenceDigits = 12;

// "20261207T105500Z": a time that is also a portable file name part.
std::string CompactUtc(Timestamp t) {
  const std::time_t seconds = ToMicros(t) / 1'000'000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y%m%dT%H%M%SZ", &utc);
  return text;
}

// The first sequence the next archive holds: after the anchor.
Result<int64_t> NextSequence(Store& store) {
  int64_t next = 1;
  WARDEN_RETURN_IF_ERROR(store.Read([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(std::optional<AuditAnchorRecord> anchor,
                            tx.audit().Anchor());
    if (anchor) next = anchor->sequence + 1;
    return Status::Ok();
  }));
  return next;
}

}  // namespace

AuditRetention::AuditRetention(Store& store, AuditChainKey key,
                               AuditCheckpointSigner signer,
                               std::function<int64_t()> checkpoint_sequence,
                               const ClusterLease& lease, const Clock& clock,
                               AuditRetentionOptions options)
    : store_(store),
      key_(std::move(key)),
      signer_(std::move(signer)),
      checkpoint_sequence_(std::move(checkpoint_sequence)),
      lease_(lease),
      clock_(clock),
      options_(std::move(options)) {}

AuditRetention::~AuditRetention() { Stop(); }

Status AuditRetention::Start() {
  if (options_.retention_days <= 0 || options_.archive_dir.empty()) {
    return InvalidArgument(
        "audit retention: needs a positive number of days and an archive "
        "directory");
  }
  if (::mkdir(options_.archive_dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return Unavailable("audit retention: create " + options_.archive_dir +
                       ": " + std::strerror(errno));
  }
  thread_ = std::thread([this] { Run(); });
  return Status::Ok();
}

void AuditRetention::Stop() {
  {
    MutexLock lock(mu_);
    stopping_ = true;
  }
  wake_.NotifyAll();
  if (thread_.joinable()) thread_.join();
}

void AuditRetention::Run() {
  while (true) {
    {
      MutexLock lock(mu_);
      const auto due = std::chrono::steady_clock::now() + options_.interval;
      while (!stopping_ && wake_.WaitUntil(mu_, due)) {
      }
      if (stopping_) return;
    }
    Result<AuditArchiveOutcome> outcome = RunOnce();
    if (!outcome.ok()) {
      std::fprintf(stderr, "audit retention: %s\n",
                   outcome.status().ToString().c_str());
    }
  }
}

std::string AuditRetention::NextPath(int64_t first_sequence) const {
  return (std::filesystem::path(options_.archive_dir) /
          fmt::format("audit-{:0{}}-{}.jsonl.gz", first_sequence,
                      kSequenceDigits, CompactUtc(clock_.Now())))
      .string();
}

// A failed run is audited too (outside the failed transaction); if the
// store itself is failing, so may this, and the log line remains.
void AuditRetention::RecordFailure(const Status& status) {
  AuditEvent event;
  event.time = clock_.Now();
  event.actor = "system";
  event.action = kAuditArchiveAction;
  event.target = "audit";
  event.outcome = "error";
  event.details =
      boost::json::serialize(boost::json::object{{"error", status.ToString()}});
  const Status recorded = store_.Write(
      [&](Transaction& tx) { return tx.audit().Append(event).status(); });
  if (!recorded.ok()) {
    std::fprintf(stderr, "audit retention: auditing the failure: %s\n",
                 recorded.ToString().c_str());
  }
}

Result<AuditArchiveOutcome> AuditRetention::RunOnce() {
  if (!lease_.held()) return AuditArchiveOutcome{};
  ++runs_;
  Result<int64_t> next = NextSequence(store_);
  if (!next.ok()) {
    ++failures_;
    return next.status();
  }
  AuditArchiveOptions archive;
  archive.older_than =
      clock_.Now() - std::chrono::hours(24) * options_.retention_days;
  archive.path = NextPath(*next);
  archive.key = &key_;
  archive.signer = &signer_;
  archive.checkpoint_sequence = checkpoint_sequence_();
  archive.actor = "system";
  archive.max_records = options_.max_records_per_run;
  archive.clock = &clock_;
  Result<AuditArchiveOutcome> outcome = ArchiveAuditLog(store_, archive);
  if (!outcome.ok()) {
    ++failures_;
    RecordFailure(outcome.status());
    return outcome.status().WithContext("audit retention");
  }
  archived_records_ += outcome->manifest.records;
  return outcome;
}

}  // namespace warden
