// The shared PostgreSQL implementation of Store (store.h), for several
// stateless Warden replicas on one database (the platform team's, with its
// own replication, failover and backups).
//
// Writes: the same group commit as SQLite (sql/group_committer.h: many
// units, savepoints, one COMMIT, nobody answered before the commit), on one
// write connection per replica. Every write transaction first takes one
// cluster-wide advisory lock (kWriterLock), so write transactions of all
// replicas run one after another: each sees every earlier commit, the audit
// chain stays one chain (its head is read and extended under the lock),
// compare-and-set updates, four-eyes decisions, lifecycle transitions and
// limits behave exactly as on SQLite's single writer, and the order of
// commits is the order of their change-log revisions. Reads run on a pool
// of REPEATABLE READ, READ ONLY snapshots, concurrently with every writer.
//
// Replicas: a commit that changed rows (store/change_feed.h keys) appends
// one change_log row (revision = previous + 1, under the lock) and notifies
// channel `warden_changes` in the same transaction. Each replica's
// ChangeFollower (pg_change_follower.h) LISTENs, reads the rows after the
// last revision it saw (also after every reconnect, so nothing is missed)
// and publishes other replicas' keys to its ChangeFeed.
#ifndef WARDEN_STORE_POSTGRES_PG_STORE_H_
#define WARDEN_STORE_POSTGRES_PG_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "core/audit_chain_key.h"
#include "core/status.h"
#include "store/change_feed.h"
#include "store/change_follower_health.h"
#include "store/cluster_lease.h"
#include "store/store.h"

namespace warden {

// pg_advisory_xact_lock key every write transaction holds ("WARDEN" + 1).
inline constexpr int64_t kWriterLock = 0x5741524445'4e0001;

// Session advisory lock key of the replica that runs scheduled work
// (store/cluster_lease.h).
inline constexpr int64_t kSchedulerLock = 0x5741524445'4e0002;

// The notification channel of change_log appends.
inline constexpr char kChangeChannel[] = "warden_changes";

struct PostgresStoreOptions {
  // A libpq connection URI or key=value string (its password is never
  // printed: errors show it redacted).
  std::string uri;
  int read_connections = 4;
  int max_batch_units = 512;
  // As SqliteStoreOptions: observer, audit key, audit heads, changes.
  StoreObserver* observer = nullptr;
  std::optional<AuditChainKey> audit_key;
  AuditHeadListener* audit_heads = nullptr;
  ChangeFeed* changes = nullptr;
  // Told, on the follower's thread and after `changes`, the keys other
  // replicas' commits changed; may be empty. Must not call Store::Write
  // synchronously for long (it delays later changes, not correctness).
  std::function<void(std::span<const std::string> keys)> on_remote_changes;
  // Set while this replica holds kSchedulerLock (not owned; may be null:
  // the lock is then never taken). Must outlive the store.
  ClusterLease* lease = nullptr;
  // Told each time the change follower has read the log to its end (not
  // owned; may be null). Must outlive the store.
  ChangeFollowerHealth* follower_health = nullptr;
  // Names this replica in change_log rows; empty: a random id.
  std::string replica_id;
};

// Connects, migrates the schema (pg_schema.h) and starts the writer, the
// readers and the change follower. kUnavailable (URI redacted) when the
// server cannot be reached; kFailedPrecondition for a schema newer than
// this binary.
Result<std::unique_ptr<Store>> OpenPostgresStore(
    const PostgresStoreOptions& options);

}  // namespace warden

#endif  // WARDEN_STORE_POSTGRES_PG_STORE_H_
