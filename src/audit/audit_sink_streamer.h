// AuditSinkStreamer: delivers the committed audit log to every configured
// sink (audit_sink.h), each on a thread of its own, from the sink's durable
// cursor (store/audit_sink_cursor_repository.h), in batches.
//
// Per sink, in a loop: take or renew the sink's lease; read the head; read
// the next batch of committed records after the cursor (a read snapshot,
// never the writer); deliver it; advance the cursor in a write of its own.
// Requests never wait on a sink: the streamer only reads what is already
// committed, and a slow or dead destination only makes its own thread
// wait. A failed delivery is retried with exponential backoff (from
// `first_backoff` to `max_backoff`), forever: records are never skipped,
// and since the cursor moves only after a delivery succeeded, a crash
// between the two means the batch is delivered again (at-least-once).
//
// Replicas on one PostgreSQL: each sink's lease (renewed with every advance
// and every lease/3 when idle) lets one process deliver it at a time; the
// others try to take it every lease/3 and do once the holder has stopped
// renewing for `lease`. A store that no other process shares (`exclusive`,
// SQLite) takes the lease over at once, so a restart after a crash does
// not wait for it to expire. Stop() gives the leases up.
//
// Records the log no longer holds (pruned by retention before this sink
// delivered them) are reported on stderr and skipped: the cursor cannot
// wait for what is gone. Retention should keep what the slowest cursor has
// not delivered (AuditSinkCursorRepository::List).
//
// Statuses() feed /metrics (lag, delivered and failed counts, lease; see
// server/server_metrics.h).
//
// Thread safety: Add and Start before any other call, from one thread;
// Statuses and Stop from any thread.
#ifndef WARDEN_AUDIT_AUDIT_SINK_STREAMER_H_
#define WARDEN_AUDIT_AUDIT_SINK_STREAMER_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "audit/audit_sink.h"
#include "core/clock.h"
#include "core/mutex.h"
#include "core/thread_annotations.h"
#include "store/store.h"

namespace warden {

struct AuditSinkStreamerOptions {
  // Names this process in the leases; empty: host name, pid and a random
  // suffix.
  std::string holder;
  // No other process shares the store: leases are taken over at once.
  bool exclusive = true;
  std::chrono::seconds lease{30};
  // How often a caught-up sink looks for new records.
  std::chrono::milliseconds poll{200};
  std::chrono::milliseconds first_backoff{250};
  std::chrono::milliseconds max_backoff{30'000};
};

struct AuditSinkStatus {
  std::string name;
  std::string kind;
  int64_t head_sequence = 0;       // the log's head, last read
  int64_t delivered_sequence = 0;  // the sink's cursor, last read
  int64_t delivered_records = 0;   // by this process
  int64_t failed_deliveries = 0;   // attempts, each retried
  bool lease_held = false;

  int64_t lag() const {
    return head_sequence > delivered_sequence
               ? head_sequence - delivered_sequence
               : 0;
  }
};

class AuditSinkStreamer {
 public:
  // `store` and `clock` must outlive this.
  AuditSinkStreamer(Store& store, const Clock& clock,
                    AuditSinkStreamerOptions options = {});
  ~AuditSinkStreamer();  // Stop()
  AuditSinkStreamer(const AuditSinkStreamer&) = delete;
  AuditSinkStreamer& operator=(const AuditSinkStreamer&) = delete;

  // A sink to stream to; `batch` records at most per delivery. REQUIRES:
  // before Start(); names unique.
  void Add(std::string name, std::string kind, std::unique_ptr<AuditSink> sink,
           int batch);
  // Starts one thread per sink.
  void Start();
  // Stops the threads (a delivery under way finishes or times out first)
  // and gives up the leases. REQUIRES: the store is still open.
  // Idempotent.
  void Stop();

  size_t size() const { return channels_.size(); }
  std::vector<AuditSinkStatus> Statuses() const;

 private:
  struct Channel;
  // One pass of a sink's loop: true when it delivered (go on at once),
  // false when there was nothing to do (wait `poll`).
  Result<bool> Step(Channel& channel);
  // Takes or renews the sink's lease when due; refreshes the cursor.
  Status RenewLease(Channel& channel);
  Result<int64_t> ReadHead();
  Result<std::vector<AuditRecord>> ReadBatch(int64_t first, int64_t last);
  Status Advance(Channel& channel, int64_t sequence);
  void Run(Channel& channel);
  // How often a holder renews an idle lease, and a non-holder tries to
  // take it: a third of the lease.
  std::chrono::milliseconds RenewalPeriod() const;
  // Waits `delay` unless stopping; returns false when stopping.
  bool Sleep(std::chrono::milliseconds delay);

  Store& store_;
  const Clock& clock_;
  const AuditSinkStreamerOptions options_;
  // Fixed by Add() before Start().
  std::vector<std::unique_ptr<Channel>> channels_;

  Mutex mu_;
  CondVar wake_;  // stopping_ set
  bool stopping_ WARDEN_GUARDED_BY(mu_) = false;
  std::atomic<bool> stopped_{false};
};

}  // namespace warden

#endif  // WARDEN_AUDIT_AUDIT_SINK_STREAMER_H_
