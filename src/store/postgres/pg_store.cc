#include "store/postgres/pg_store.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/id.h"
#include "store/postgres/pg_change_follower.h"
#include "store/postgres/pg_connection.h"
#include "store/postgres/pg_schema.h"
#include "store/sql/group_committer.h"
#include "store/sql/query.h"
#include "store/sql/read_pool.h"
#include "store/sql/sql_store.h"

namespace warden {
namespace {

using postgres::PgConnection;

// Each read connection is a server backend: bounded like SQLite's pool.
constexpr int kMaxReadConnections = 64;

// Rows of change_log kept: a replica cut off for longer than it takes to
// write this many commits catches up with ChangeKey::Everything().
constexpr int64_t kChangeLogRetention = 100'000;

std::string JoinKeys(const std::vector<std::string>& keys) {
  std::string joined;
  for (const std::string& key : keys) {
    if (!joined.empty()) joined += '\n';
    joined += key;
  }
  return joined;
}

// The last step of every write transaction that changed rows: one change_log
// row (the next revision: the writer lock makes MAX + 1 safe and the
// revisions commit in order) and its notification, delivered at COMMIT.
// Every kChangeLogRetention-th revision also prunes the log.
Status AppendChanges(sql::Connection& connection, const std::string& replica,
                     const std::vector<std::string>& changed) {
  if (changed.empty()) return Status::Ok();
  constexpr char kContext[] = "append to the change log";
  WARDEN_ASSIGN_OR_RETURN(
      std::optional<int64_t> revision,
      sql::QueryFirst(
          connection,
          std::string("WITH appended AS (INSERT INTO change_log (revision, "
                      "origin, keys, committed_at_us) SELECT COALESCE(MAX("
                      "revision), 0) + 1, ?, ?, ? FROM change_log RETURNING "
                      "revision) SELECT revision, pg_notify('") +
              kChangeChannel + "', revision::text) IS NOT NULL FROM appended",
          kContext, [](const sql::Statement& s) { return s.Int(0); }, replica,
          JoinKeys(changed), ToMicros(SystemClock().Now())));
  if (!revision) return Internal(std::string(kContext) + ": no revision");
  if (*revision % kChangeLogRetention != 0) return Status::Ok();
  return sql::Execute(connection, "DELETE FROM change_log WHERE revision <= ?",
                      "prune the change log", *revision - kChangeLogRetention);
}

Result<int64_t> ChangeLogHead(sql::Connection& connection) {
  WARDEN_ASSIGN_OR_RETURN(
      std::optional<int64_t> head,
      sql::QueryFirst(connection,
                      "SELECT COALESCE(MAX(revision), 0) FROM change_log",
                      "read the change log head",
                      [](const sql::Statement& s) { return s.Int(0); }));
  return head.value_or(0);
}

Result<std::vector<std::unique_ptr<sql::Connection>>> OpenReadConnections(
    const std::string& uri, int count) {
  std::vector<std::unique_ptr<sql::Connection>> connections;
  for (int i = 0; i < count; ++i) {
    WARDEN_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> connection,
                            PgConnection::Open(uri));
    connections.push_back(std::move(connection));
  }
  return connections;
}

}  // namespace

Result<std::unique_ptr<Store>> OpenPostgresStore(
    const PostgresStoreOptions& options) {
  if (options.uri.empty()) {
    return InvalidArgument("open PostgreSQL store: empty connection URI");
  }
  WARDEN_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> writer,
                          PgConnection::Open(options.uri));
  WARDEN_RETURN_IF_ERROR(
      postgres::MigratePostgresSchema(*writer, ToMicros(SystemClock().Now())));
  WARDEN_ASSIGN_OR_RETURN(int64_t head, ChangeLogHead(*writer));
  WARDEN_ASSIGN_OR_RETURN(
      std::vector<std::unique_ptr<sql::Connection>> readers,
      OpenReadConnections(options.uri, std::clamp(options.read_connections, 1,
                                                  kMaxReadConnections)));
  const std::string replica = options.replica_id.empty()
                                  ? NewId(SystemClock().Now())
                                  : options.replica_id;
  std::unique_ptr<const AuditChainKey> audit_key;
  if (options.audit_key) {
    audit_key = std::make_unique<const AuditChainKey>(*options.audit_key);
  }
  sql::WriteSteps steps{
      "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock(" +
          std::to_string(kWriterLock) + ")",
      [replica](sql::Connection& connection,
                const std::vector<std::string>& changed) {
        return AppendChanges(connection, replica, changed);
      }};
  auto committer = std::make_unique<sql::GroupCommitter>(
      std::move(writer), std::move(steps), options.max_batch_units,
      options.observer, audit_key.get(), options.audit_heads, options.changes);
  auto reads = std::make_unique<sql::ReadPool>(
      std::move(readers), "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
      options.observer);
  auto follower = std::make_unique<postgres::ChangeFollower>(
      options.uri, replica, head, options.changes, options.on_remote_changes,
      options.lease, options.follower_health);
  return std::unique_ptr<Store>(std::make_unique<sql::SqlStore>(
      sql::SqlStore::Parts{.audit_key = std::move(audit_key),
                           .committer = std::move(committer),
                           .reads = std::move(reads),
                           .background = std::move(follower)}));
}

}  // namespace warden
