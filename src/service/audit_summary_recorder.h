// AuditSummaryRecorder: audit records for decisions too frequent to record
// one by one, each with its own fsync, on a hot or hostile path:
// successful token introspection (RFC 7662), and authentication attempts
// refused by the per-source failure throttle (AuthFailureThrottle).
//
// Note() counts one decision in memory (a short mutex, no I/O). Flush()
// writes one record per (actor, action, target, outcome) noted since the
// last flush, all in one Store::Write, with the outcome the counted
// decisions had and details
//   {"summary": true, "count": N, "first_at": RFC 3339, "last_at": RFC 3339,
//    "remote": the last caller's address, "request_id": the last one's,
//    "counts": {"LABEL": n, ...}}   (only when labels were noted)
// A background thread flushes every `period`; Stop() (before the store
// closes) flushes once more. docs/API.md ("Audit summaries") documents
// which actions are summarised.
//
// Bounds: at most kMaxAuditSummaryKeys distinct keys wait for a flush;
// decisions beyond are counted under one overflow key per action and
// outcome (actor and target "(various)"), so a flood of made-up callers
// cannot grow memory and no decision goes uncounted. A failed flush keeps
// the counts for the next one; a crash loses at most one period of counts.
//
// Per process: with several replicas each writes its own summaries.
//
// Thread-safety: every method may be called concurrently.
#ifndef WARDEN_SERVICE_AUDIT_SUMMARY_RECORDER_H_
#define WARDEN_SERVICE_AUDIT_SUMMARY_RECORDER_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/mutex.h"
#include "core/thread_annotations.h"
#include "service/auditor.h"
#include "service/caller.h"
#include "service/periodic_task.h"

namespace warden {

// Distinct summary keys held between flushes (a few hundred bytes each).
inline constexpr size_t kMaxAuditSummaryKeys = 10'000;
// How often summaries are written: the delay before a summarised decision
// appears in the audit log, and what a crash can lose.
inline constexpr std::chrono::milliseconds kAuditSummaryPeriod{10'000};

class AuditSummaryRecorder {
 public:
  // `period` zero: no background thread (tests flush by hand).
  AuditSummaryRecorder(Store& store, Auditor& auditor,
                       std::chrono::milliseconds period,
                       size_t max_keys = kMaxAuditSummaryKeys);
  ~AuditSummaryRecorder();
  AuditSummaryRecorder(const AuditSummaryRecorder&) = delete;
  AuditSummaryRecorder& operator=(const AuditSummaryRecorder&) = delete;

  // Counts one decision. `label` (optional) is also counted under
  // details.counts (e.g. "active" / "inactive" introspection answers).
  void Note(const Caller& caller, std::string_view action,
            std::string_view target, std::string_view outcome,
            std::string_view label = {});

  // Writes every pending summary; kUnavailable (counts kept) on failure.
  Status Flush();
  // Stops the background thread after a last flush. Idempotent.
  void Stop();

  // Summaries waiting for a flush (tests).
  size_t pending() const;

 private:
  struct Summary {
    Caller last_caller;  // subject, remote and request id of the last one
    std::string action;
    std::string target;
    std::string outcome;
    uint64_t count = 0;
    Timestamp first_at{};
    Timestamp last_at{};
    std::map<std::string, uint64_t> counts;
    bool overflow = false;  // counts callers beyond max_keys_
  };
  using Pending = std::unordered_map<std::string, Summary>;

  Summary& SlotLocked(const Caller& caller, std::string_view action,
                      std::string_view target, std::string_view outcome)
      WARDEN_REQUIRES(mu_);
  void MergeBackLocked(Pending batch) WARDEN_REQUIRES(mu_);
  Status Write(const Pending& batch);
  void FlushAndLog();

  // Immutable after construction.
  Store& store_;
  Auditor& auditor_;
  const size_t max_keys_;

  mutable Mutex mu_;
  Pending pending_ WARDEN_GUARDED_BY(mu_);

  PeriodicTask flusher_;  // last: its thread uses the members above
};

}  // namespace warden

#endif  // WARDEN_SERVICE_AUDIT_SUMMARY_RECORDER_H_
