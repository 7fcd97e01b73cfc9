// A thin RAII layer over the SQLite C API: one connection with a cache of
// prepared statements, a cursor over one cached statement, and the single
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

namespace warden::sqlite {

// Maps an (extended) SQLite result code to a Status: UNIQUE/PRIMARY KEY ->
// kAlreadyExists, FOREIGN KEY -> kFailedPrecondition, other constraints ->
// kInvalidArgument, I/O, disk full, busy, locked, cannot open, not a
// database, corrupt -> kUnavailable, everything else -> kInternal. The message
// is
// "<context>: <detail>".
Status StatusFromSqlite(int rc, std::string_view context,
                        std::string_view detail);

class Connection;

// A prepared statement, usually borrowed from a Connection's cache.
// Parameters are bound in order, starting at 1. On destruction a cached
// statement is reset (and its bindings cleared) for reuse; an uncached one
// (the cache was full) is finalized.
// REQUIRES: the Connection outlives it; at most one Statement per SQL text
// is alive at a time.
class Statement {
 public:
  Statement(Connection& connection, sqlite3_stmt* stmt, bool owned)
      : connection_(&connection), stmt_(stmt), owned_(owned) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement();

  // Makes the statement ready to run again with new parameters.
  void Reset();

  void Bind(std::string_view text);
  void Bind(int64_t value);
  void BindNull();
  void Bind(std::optional<int64_t> value);
  // Named apart from Bind: an int argument would be ambiguous.
  void BindReal(double value);

  // Steps once: true when a row is available, false when done. On failure
  // the error carries `context` and the database path.
  Result<bool> Step(std::string_view context);
  // Steps to completion, ignoring rows.
  Status Run(std::string_view context);

  bool IsNull(int column) const;
  int64_t Int(int column) const;
  std::string Text(int column) const;
  // The column's text without a copy: valid until the next Step(), Reset()
  // or the statement's destruction.
  std::string_view TextView(int column) const;
  std::optional<int64_t> OptionalInt(int column) const;
  double Real(int column) const;

 private:
  Connection* connection_;
  sqlite3_stmt* stmt_;
  bool owned_;  // finalize rather than return to the cache
  int next_index_ = 1;
  int bind_error_ = SQLITE_OK;
};

class Connection {
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
  static Result<std::unique_ptr<Connection>> Open(const Options& options);

  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements without parameters.
  Status Exec(std::string_view sql, std::string_view context);

  // A statement from the cache, prepared on first use. Past
  // kMaxCachedStatements distinct texts, statements are prepared per use.
  Result<Statement> Prepare(std::string_view sql, std::string_view context);

  // The error for `rc` on this connection: context, SQLite's message and
  // the database path.
  Status Error(int rc, std::string_view context) const;

  // Rows changed by the last INSERT, UPDATE or DELETE.
  int64_t Changes() const;
  // False when SQLite rolled the transaction back by itself (after an I/O
  // error or disk full) or none was begun.
  bool InTransaction() const;

  const std::string& path() const { return path_; }

 private:
  Connection(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

  sqlite3* db_;
  std::string path_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace warden::sqlite

#endif  // WARDEN_STORE_SQLITE_SQLITE_CONNECTION_H_
