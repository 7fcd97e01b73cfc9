// SQLite behind sql::Connection (store/sql/connection.h): one connection
// with a cache of prepared statements, a cursor per statement, and the single
// mapping of SQLite result codes to Status (store.h's error contract).
//
// Thread safety: a Connection (and every Statement borrowed from it) must be
// used by one thread at a time. Connections are opened in SQLite's
// multi-thread mode (SQLITE_OPEN_NOMUTEX): the store serialises access.
#ifndef WARDEN_STORE_SQLITE_SQLITE_CONNECTION_H_
#define WARDEN_STORE_SQLITE_SQLITE_CONNECTION_H_

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/status.h"
#include "store/sql/connection.h"

namespace warden::sqlite {

// Maps an (extended) SQLite result code to a Status: UNIQUE/PRIMARY KEY ->
// kAlreadyExists, FOREIGN KEY -> kFailedPrecondition, other constraints ->
// kInvalidArgument, I/O, disk full, busy, locked, cannot open, not a
// database, corrupt -> kUnavailable, everything else -> kInternal. The message
// is
// "<context>: <detail>".
Status StatusFromSqlite(int rc, std::string_view context,
                        std::string_view detail);

class SqliteConnection;

// One prepared SQLite statement (sql::Cursor).
class SqliteCursor final : public sql::Cursor {
 public:
  SqliteCursor(const SqliteConnection& connection, sqlite3_stmt* stmt)
      : connection_(connection), stmt_(stmt) {}
  ~SqliteCursor() override { sqlite3_finalize(stmt_); }
  SqliteCursor(const SqliteCursor&) = delete;
  SqliteCursor& operator=(const SqliteCursor&) = delete;

  void Reset() override;
  void BindText(int index, std::string_view text) override;
  void BindInt(int index, int64_t value) override;
  void BindReal(int index, double value) override;
  void BindNull(int index) override;
  Result<bool> Step(std::string_view context) override;
  bool IsNull(int column) const override;
  int64_t Int(int column) const override;
  double Real(int column) const override;
  std::string_view TextView(int column) const override;

 private:
  void NoteBind(int rc) {
    if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
  }

  const SqliteConnection& connection_;
  sqlite3_stmt* stmt_;
  int bind_error_ = SQLITE_OK;
};

class SqliteConnection final : public sql::Connection {
 public:
  struct Options {
    std::string path;
    // Name of a registered VFS, or empty for the default.
    std::string vfs;
    // Read-only connections refuse any write (PRAGMA query_only).
    bool query_only = false;
    // Bytes of the file read through a memory map rather than read() into
    // the page cache (PRAGMA mmap_size); 0: none.
    int64_t mmap_bytes = 0;
  };

  // Opens (creating if needed) the database and applies the durability
  // pragmas: WAL, synchronous=FULL, foreign_keys=ON, busy_timeout.
  // kUnavailable naming the path when the file cannot be opened.
  static Result<std::unique_ptr<SqliteConnection>> Open(const Options& options);

  ~SqliteConnection() override;
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  sql::Dialect dialect() const override { return sql::Dialect::kSqlite; }
  Status Exec(std::string_view sql, std::string_view context) override;
  // Past kMaxCachedStatements distinct texts, statements are prepared per
  // use.
  Result<sql::Statement> Prepare(std::string_view sql,
                                 std::string_view context) override;
  int64_t Changes() const override;
  bool InTransaction() const override;
  const std::string& location() const override { return path_; }

  // The error for `rc` on this connection: context, SQLite's message and
  // the database path.
  Status Error(int rc, std::string_view context) const;

 private:
  SqliteConnection(sqlite3* db, std::string path)
      : db_(db), path_(std::move(path)) {}

  sqlite3* db_;
  std::string path_;
  std::unordered_map<std::string, std::unique_ptr<SqliteCursor>> statements_;
};

}  // namespace warden::sqlite

#endif  // WARDEN_STORE_SQLITE_SQLITE_CONNECTION_H_
