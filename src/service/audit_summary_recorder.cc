#include "service/audit_summary_recorder.h"

#include <cstdio>
#include <utility>

#include "core/time_format.h"

namespace warden {
namespace {

constexpr std::string_view kVarious = "(various)";

std::string KeyOf(std::string_view actor, std::string_view action,
                  std::string_view target, std::string_view outcome) {
  // Length-prefixed parts: no two different tuples share a key.
  std::string key;
  for (std::string_view part : {actor, action, target, outcome}) {
    key += std::to_string(part.size());
    key += ':';
    key += part;
  }
  return key;
}

boost::json::object SummaryDetails(uint64_t count, Timestamp first_at,
                                   Timestamp last_at,
                                   const std::map<std::string, uint64_t>& by) {
  boost::json::object details;
  details["summary"] = true;
  details["count"] = count;
  details["first_at"] = FormatRfc3339(first_at);
  details["last_at"] = FormatRfc3339(last_at);
  if (!by.empty()) {
    boost::json::object counts;
    for (const auto& [label, n] : by) counts[label] = n;
    details["counts"] = std::move(counts);
  }
  return details;
}

}  // namespace

AuditSummaryRecorder::AuditSummaryRecorder(Store& store, Auditor& auditor,
                                           std::chrono::milliseconds period,
                                           size_t max_keys)
    : store_(store),
      auditor_(auditor),
      max_keys_(max_keys),
      flusher_(period, [this] { FlushAndLog(); }) {}

AuditSummaryRecorder::~AuditSummaryRecorder() { Stop(); }

void AuditSummaryRecorder::Stop() {
  if (flusher_.Stop()) FlushAndLog();
}

void AuditSummaryRecorder::FlushAndLog() {
  const Status flushed = Flush();
  if (!flushed.ok()) {
    std::fprintf(stderr, "audit summary flush: %s\n",
                 flushed.ToString().c_str());
  }
}

// The summary `caller`'s decision counts into: its own, or (table full)
// the overflow summary of the action and outcome.
AuditSummaryRecorder::Summary& AuditSummaryRecorder::SlotLocked(
    const Caller& caller, std::string_view action, std::string_view target,
    std::string_view outcome) {
  const std::string& actor = caller.principal.subject;
  std::string key = KeyOf(actor, action, target, outcome);
  auto it = pending_.find(key);
  if (it != pending_.end()) return it->second;
  if (pending_.size() >= max_keys_) {
    key = KeyOf(kVarious, action, kVarious, outcome);
    it = pending_.find(key);
    if (it != pending_.end()) return it->second;
    target = kVarious;  // the one overflow entry of this action/outcome
  }
  Summary& summary = pending_[std::move(key)];
  summary.overflow = target == kVarious;
  summary.action = std::string(action);
  summary.target = std::string(target);
  summary.outcome = std::string(outcome);
  return summary;
}

void AuditSummaryRecorder::Note(const Caller& caller, std::string_view action,
                                std::string_view target,
                                std::string_view outcome,
                                std::string_view label) {
  const Timestamp now = auditor_.clock().Now();
  MutexLock lock(mu_);
  Summary& summary = SlotLocked(caller, action, target, outcome);
  if (summary.count == 0) summary.first_at = now;
  ++summary.count;
  summary.last_at = now;
  summary.last_caller = caller;
  if (summary.overflow) summary.last_caller.principal.subject = kVarious;
  if (!label.empty()) ++summary.counts[std::string(label)];
}

Status AuditSummaryRecorder::Write(const Pending& batch) {
  return store_.Write([&](Transaction& tx) -> Status {
    for (const auto& [key, summary] : batch) {
      WARDEN_RETURN_IF_ERROR(auditor_.RecordOutcomeInTransaction(
          tx, summary.last_caller, summary.action, summary.target,
          summary.outcome,
          SummaryDetails(summary.count, summary.first_at, summary.last_at,
                         summary.counts)));
    }
    return Status::Ok();
  });
}

// A failed write returns its counts to the table (the newer decisions
// noted meanwhile add to them), so the next flush records them.
void AuditSummaryRecorder::MergeBackLocked(Pending batch) {
  for (auto& [key, old] : batch) {
    auto [it, inserted] = pending_.try_emplace(key, old);
    if (inserted) continue;
    Summary& now = it->second;
    now.count += old.count;
    now.first_at = old.first_at;
    for (const auto& [label, n] : old.counts) now.counts[label] += n;
  }
}

Status AuditSummaryRecorder::Flush() {
  Pending batch;
  {
    MutexLock lock(mu_);
    batch.swap(pending_);
  }
  if (batch.empty()) return Status::Ok();
  const Status written = Write(batch);
  if (written.ok()) return written;
  MutexLock lock(mu_);
  MergeBackLocked(std::move(batch));
  return Unavailable("audit summaries not written: " + written.message());
}

size_t AuditSummaryRecorder::pending() const {
  MutexLock lock(mu_);
  return pending_.size();
}

}  // namespace warden
