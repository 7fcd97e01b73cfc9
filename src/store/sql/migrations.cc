#include "store/sql/migrations.h"

#include <optional>

#include "store/sql/query.h"

namespace warden::sql {
namespace {

Result<int64_t> CurrentVersion(Connection& connection) {
  WARDEN_ASSIGN_OR_RETURN(
      std::optional<int64_t> version,
      QueryFirst(
          connection, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
          "read schema version", [](const Statement& s) { return s.Int(0); }));
  return version.value_or(0);
}

Status Apply(Connection& connection, const MigrationPlan& plan, size_t index,
             int64_t now_us) {
  const Migration& migration = plan.migrations[index];
  const std::string context = "apply schema migration " +
                              std::to_string(migration.version) + " (" +
                              migration.description + ")";
  if (plan.before_each) {
    WARDEN_RETURN_IF_ERROR(plan.before_each(connection, index, context));
  }
  WARDEN_RETURN_IF_ERROR(connection.Exec(migration.sql, context));
  return Execute(connection,
                 "INSERT INTO schema_migrations(version, description, "
                 "applied_at_us) VALUES (?, ?, ?)",
                 context, migration.version, migration.description, now_us);
}

Status MigrateInTransaction(Connection& connection, const MigrationPlan& plan,
                            int64_t now_us) {
  WARDEN_RETURN_IF_ERROR(
      connection.Exec(plan.prepare_sql, "prepare schema migration"));
  WARDEN_ASSIGN_OR_RETURN(int64_t current, CurrentVersion(connection));
  const int64_t latest = LatestVersion(plan.migrations);
  if (current > latest) {
    return FailedPrecondition(
        "database " + connection.location() + " has schema version " +
            std::to_string(current) + ", newer than this binary supports (" +
            std::to_string(latest) + "); upgrade warden before opening it",
        "schema-too-new");
  }
  for (size_t i = 0; i < plan.migrations.size(); ++i) {
    if (plan.migrations[i].version <= current) continue;
    WARDEN_RETURN_IF_ERROR(Apply(connection, plan, i, now_us));
  }
  return Status::Ok();
}

}  // namespace

Status RunMigrations(Connection& connection, const MigrationPlan& plan,
                     int64_t now_us) {
  WARDEN_RETURN_IF_ERROR(
      connection.Exec(plan.begin_sql, "begin schema migration"));
  Status status = MigrateInTransaction(connection, plan, now_us);
  if (status.ok()) {
    status = connection.Exec("COMMIT", "commit schema migration");
  }
  if (!status.ok() && connection.InTransaction()) {
    (void)connection.Exec("ROLLBACK", "roll back schema migration");
  }
  return status;
}

}  // namespace warden::sql
