// Durable delivery cursors of the audit streaming sinks
// (audit/audit_sink_streamer.h): per sink, the last audit sequence it has
// delivered, and a lease naming the one process that delivers for it.
//
// The lease keeps replicas on one PostgreSQL from delivering the same sink
// at once: a process delivers only while it holds the row's lease, renews it
// with every advance, and another process may take it only once it has
// expired (the holder died or stalls). The cursor moves only under the
// lease, so a process that lost its lease can no longer move it (a fenced
// cursor). A crash between delivery and the advance redelivers the batch:
// at-least-once, never a gap.
//
// Cursor writes are bookkeeping of delivery, not mutations of Warden's
// state: they are not audited (an audit record per delivered batch would
// itself need delivering, forever).
//
// Thread safety: as the Transaction it belongs to.
#ifndef WARDEN_STORE_AUDIT_SINK_CURSOR_REPOSITORY_H_
#define WARDEN_STORE_AUDIT_SINK_CURSOR_REPOSITORY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"

namespace warden {

struct AuditSinkCursor {
  std::string sink;                // the sink's configured name
  int64_t delivered_sequence = 0;  // every record <= this was delivered
  std::string holder;              // the process delivering it (lease)
  Timestamp lease_expires_at{};
  Timestamp updated_at{};
};

class AuditSinkCursorRepository {
 public:
  virtual ~AuditSinkCursorRepository() = default;
  // Takes or renews `sink`'s lease for `holder` until `lease_until` when
  // the row is absent (created with delivered_sequence 0), already held by
  // `holder`, or its lease expired at `now`; with `steal`, whatever the
  // row says (a store no other process shares). Returns the row as it
  // stands afterwards: the caller holds the lease iff its holder is
  // `holder`.
  virtual Result<AuditSinkCursor> Acquire(std::string_view sink,
                                          std::string_view holder,
                                          Timestamp now, Timestamp lease_until,
                                          bool steal) = 0;
  // Moves the cursor to `delivered_sequence` (never backwards) and renews
  // the lease until `lease_until`, only while `holder` holds the lease:
  // kFailedPrecondition ("audit-sink-lease-lost") otherwise.
  virtual Status Advance(std::string_view sink, std::string_view holder,
                         int64_t delivered_sequence, Timestamp now,
                         Timestamp lease_until) = 0;
  // Ends `holder`'s lease on `sink` at `now` (a clean stop: the next
  // process need not wait for it to expire). No-op when not the holder.
  virtual Status Release(std::string_view sink, std::string_view holder,
                         Timestamp now) = 0;
  // Every cursor, ordered by sink: what retention must not prune past.
  virtual Result<std::vector<AuditSinkCursor>> List() = 0;
};

}  // namespace warden

#endif  // WARDEN_STORE_AUDIT_SINK_CURSOR_REPOSITORY_H_
