#include "store/sqlite/sqlite_snapshot.h"

#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>
#include <vector>

#include "store/sqlite/database_files.h"
#include "store/sqlite/sqlite_connection.h"

namespace warden::sqlite {
namespace {

// How long the copy waits for a source lock (SQLITE_BUSY / LOCKED): only a
// WAL recovery or a writer outside Warden in rollback mode holds one.
constexpr auto kLockWait = std::chrono::seconds(10);
constexpr auto kLockRetry = std::chrono::milliseconds(50);

struct CloseDatabase {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Database = std::unique_ptr<sqlite3, CloseDatabase>;

Status SqliteError(sqlite3* db, int rc, std::string_view op,
                   const std::string& path) {
  return StatusFromSqlite(rc, std::string(op) + " " + path,
                          db != nullptr ? sqlite3_errmsg(db) : "");
}

Result<Database> OpenDatabase(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  Database db(raw);
  if (rc != SQLITE_OK) return SqliteError(db.get(), rc, "open", path);
  sqlite3_extended_result_codes(db.get(), 1);
  return db;
}

// One sqlite3_backup_step(-1), retried while the source is locked.
Status CopyPages(sqlite3* source, sqlite3* destination,
                 const std::string& source_path) {
  sqlite3_backup* backup =
      sqlite3_backup_init(destination, "main", source, "main");
  if (backup == nullptr) {
    return SqliteError(destination, sqlite3_errcode(destination),
                       "start backup of", source_path);
  }
  const auto deadline = std::chrono::steady_clock::now() + kLockWait;
  int rc = sqlite3_backup_step(backup, -1);
  while ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(kLockRetry);
    rc = sqlite3_backup_step(backup, -1);
  }
  const int finished = sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return SqliteError(source, rc, "back up", source_path);
  if (finished != SQLITE_OK) {
    return SqliteError(destination, finished, "finish backup of", source_path);
  }
  return Status::Ok();
}

// The ordinary tables of the copy (pragma_table_list says "shadow" for an
// FTS index's own tables and "virtual" for the index itself).
Result<std::vector<std::string>> TableNames(sqlite3* db,
                                            const std::string& path) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(
      db,
      "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = "
      "'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      -1, &stmt, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db, rc, "list tables of", path);
  std::vector<std::string> names;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    names.emplace_back(
        reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_DONE) return SqliteError(db, rc, "list tables of", path);
  return names;
}

Result<int64_t> CountRows(sqlite3* db, const std::string& table,
                          const std::string& path) {
  std::string quoted = "\"";
  for (char c : table)
    quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  quoted += "\"";
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, ("SELECT COUNT(*) FROM " + quoted).c_str(),
                              -1, &stmt, nullptr);
  if (rc != SQLITE_OK)
    return SqliteError(db, rc, "count " + table + " in", path);
  rc = sqlite3_step(stmt);
  const int64_t rows = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
  sqlite3_finalize(stmt);
  if (rc != SQLITE_ROW)
    return SqliteError(db, rc, "count " + table + " in", path);
  return rows;
}

Status Describe(sqlite3* db, const std::string& path,
                SqliteSnapshot& snapshot) {
  WARDEN_ASSIGN_OR_RETURN(std::vector<std::string> tables,
                          TableNames(db, path));
  snapshot.tables = static_cast<int>(tables.size());
  for (const std::string& table : tables) {
    WARDEN_ASSIGN_OR_RETURN(int64_t rows, CountRows(db, table, path));
    snapshot.rows += rows;
  }
  return Status::Ok();
}

Result<SqliteSnapshot> Snapshot(const std::string& source,
                                const std::string& destination) {
  WARDEN_ASSIGN_OR_RETURN(Database from,
                          OpenDatabase(source, SQLITE_OPEN_READWRITE));
  sqlite3_busy_timeout(from.get(), static_cast<int>(kLockWait.count() * 1000));
  WARDEN_RETURN_IF_ERROR(PrepareDatabaseFiles(destination));
  WARDEN_ASSIGN_OR_RETURN(Database to,
                          OpenDatabase(destination, SQLITE_OPEN_READWRITE));
  WARDEN_RETURN_IF_ERROR(CopyPages(from.get(), to.get(), source));
  from.reset();
  SqliteSnapshot snapshot;
  WARDEN_RETURN_IF_ERROR(Describe(to.get(), destination, snapshot));
  to.reset();  // the last connection: any -wal it made is folded back
  std::error_code ec;
  snapshot.bytes =
      static_cast<int64_t>(std::filesystem::file_size(destination, ec));
  if (ec) return Unavailable("stat " + destination + ": " + ec.message());
  return snapshot;
}

void RemoveDatabaseFiles(const std::string& path) {
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(path + suffix, ignored);
  }
}

}  // namespace

Result<SqliteSnapshot> SnapshotSqliteDatabase(const std::string& source,
                                              const std::string& destination) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(source, ec)) {
    return NotFound("no database at " + source);
  }
  if (std::filesystem::exists(destination, ec)) {
    return AlreadyExists(destination + " already exists");
  }
  Result<SqliteSnapshot> snapshot = Snapshot(source, destination);
  if (!snapshot.ok()) RemoveDatabaseFiles(destination);
  return snapshot;
}

}  // namespace warden::sqlite
