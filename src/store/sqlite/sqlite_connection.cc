#include "store/sqlite/sqlite_connection.h"

#include <chrono>
#include <string>
#include <utility>

namespace warden::sqlite {
namespace {

// How long a statement waits for another connection's lock before failing
// with kUnavailable. Only the checkpointer and migrations contend here.
constexpr std::chrono::milliseconds kBusyTimeout{5000};

// The store's SQL texts are a fixed set plus one per filter combination;
// the cap only guards memory should that ever stop being true.
constexpr size_t kMaxCachedStatements = 512;

StatusCode CodeFor(int rc) {
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
    case SQLITE_CONSTRAINT_ROWID:
      return StatusCode::kAlreadyExists;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return StatusCode::kFailedPrecondition;
    default:
      break;
  }
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      return StatusCode::kInvalidArgument;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_PROTOCOL:
    case SQLITE_NOTADB:   // the file is not (or no longer) usable: storage
    case SQLITE_CORRUPT:  // trouble the operator must fix, not a bug
      return StatusCode::kUnavailable;
    default:
      return StatusCode::kInternal;
  }
}

}  // namespace

Status StatusFromSqlite(int rc, std::string_view context,
                        std::string_view detail) {
  std::string message(context);
  message += ": ";
  message += detail;
  return Status(CodeFor(rc), std::move(message));
}

// ------------------------------------------------------------------- Cursor

void SqliteCursor::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_error_ = SQLITE_OK;
}

void SqliteCursor::BindText(int index, std::string_view text) {
  NoteBind(sqlite3_bind_text(stmt_, index, text.data(),
                             static_cast<int>(text.size()), SQLITE_TRANSIENT));
}

void SqliteCursor::BindInt(int index, int64_t value) {
  NoteBind(sqlite3_bind_int64(stmt_, index, value));
}

void SqliteCursor::BindReal(int index, double value) {
  NoteBind(sqlite3_bind_double(stmt_, index, value));
}

void SqliteCursor::BindNull(int index) {
  NoteBind(sqlite3_bind_null(stmt_, index));
}

Result<bool> SqliteCursor::Step(std::string_view context) {
  if (bind_error_ != SQLITE_OK) return connection_.Error(bind_error_, context);
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return connection_.Error(rc, context);
}

bool SqliteCursor::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

double SqliteCursor::Real(int column) const {
  return sqlite3_column_double(stmt_, column);
}

int64_t SqliteCursor::Int(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

// sqlite3_column_blob, not _text: _text must NUL-terminate the value, which
// for a value read straight from a page means a malloc and a copy per
// column (measured: a third of a ten-column row's cost). A view needs no
// terminator, and for TEXT in a UTF-8 database the blob is the text (a
// number converts to its text either way).
std::string_view SqliteCursor::TextView(int column) const {
  const void* bytes = sqlite3_column_blob(stmt_, column);
  if (bytes == nullptr) return {};
  return std::string_view(
      static_cast<const char*>(bytes),
      static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

// --------------------------------------------------------------- Connection

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(
    const Options& options) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX |
              SQLITE_OPEN_EXRESCODE;
  int rc = sqlite3_open_v2(options.path.c_str(), &db, flags,
                           options.vfs.empty() ? nullptr : options.vfs.c_str());
  if (rc != SQLITE_OK) {
    std::string detail =
        db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    Status status =
        StatusFromSqlite(rc, "open database " + options.path, detail);
    return Status(StatusCode::kUnavailable, status.message());
  }
  std::unique_ptr<SqliteConnection> connection(
      new SqliteConnection(db, options.path));
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, static_cast<int>(kBusyTimeout.count()));
  WARDEN_RETURN_IF_ERROR(
      connection->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                       "PRAGMA foreign_keys=ON; "
                       // Savepoint (statement) journals of group-committed
                       // units stay in memory instead of temp files.
                       "PRAGMA temp_store=MEMORY; "
                       // 16 MiB page cache per connection (SQLite's
                       // default is 2 MiB): hot index pages stay resident.
                       "PRAGMA cache_size=-16384;",
                       "configure database"));
  if (options.query_only) {
    WARDEN_RETURN_IF_ERROR(
        connection->Exec("PRAGMA query_only=ON;", "configure read connection"));
  }
  if (options.mmap_bytes > 0) {
    WARDEN_RETURN_IF_ERROR(connection->Exec(
        "PRAGMA mmap_size=" + std::to_string(options.mmap_bytes) + ";",
        "configure memory map"));
  }
  return connection;
}

SqliteConnection::~SqliteConnection() {
  statements_.clear();  // finalized before the close
  sqlite3_close_v2(db_);
}

Status SqliteConnection::Exec(std::string_view sql, std::string_view context) {
  std::string text(sql);
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return Error(rc, context);
  return Status::Ok();
}

Result<sql::Statement> SqliteConnection::Prepare(std::string_view sql,
                                                 std::string_view context) {
  std::string key(sql);
  auto it = statements_.find(key);
  if (it != statements_.end()) return sql::Statement(*it->second);
  const bool cache = statements_.size() < kMaxCachedStatements;
  sqlite3_stmt* stmt = nullptr;
  int rc =
      sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()),
                         cache ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, nullptr);
  if (rc != SQLITE_OK) return Error(rc, context);
  auto cursor = std::make_unique<SqliteCursor>(*this, stmt);
  if (!cache) return sql::Statement(std::move(cursor));
  SqliteCursor& cached = *cursor;
  statements_.emplace(std::move(key), std::move(cursor));
  return sql::Statement(cached);
}

Status SqliteConnection::Error(int rc, std::string_view context) const {
  std::string detail = sqlite3_errstr(rc);
  const char* message = sqlite3_errmsg(db_);
  if (message != nullptr && detail != message) {
    detail += " (";
    detail += message;
    detail += ")";
  }
  detail += " [";
  detail += path_;
  detail += "]";
  return StatusFromSqlite(rc, context, detail);
}

int64_t SqliteConnection::Changes() const { return sqlite3_changes64(db_); }

bool SqliteConnection::InTransaction() const {
  return sqlite3_get_autocommit(db_) == 0;
}

}  // namespace warden::sqlite
