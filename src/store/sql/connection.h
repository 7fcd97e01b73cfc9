// The SQL engine boundary the repositories are written against: one
// connection with a cache of prepared statements and a cursor over one
// statement. SQLite (store/sqlite/sqlite_connection.h) and PostgreSQL
// (store/postgres/pg_connection.h) implement it, so every repository's SQL
// is written once, in the subset both engines accept: `?` placeholders
// (`?N` to reuse parameter N), ON CONFLICT clauses, and the few spellings
// that differ taken from Dialect (dialect.h).
//
// Values are text, 64-bit integers, doubles or NULL. An engine that returns
// booleans (PostgreSQL's comparisons) reads them through Int() as 1 or 0.
//
// Thread safety: a Connection (and every Statement borrowed from it) is used
// by one thread at a time; the store serialises access.
#ifndef WARDEN_STORE_SQL_CONNECTION_H_
#define WARDEN_STORE_SQL_CONNECTION_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/status.h"

namespace warden::sql {

enum class Dialect { kSqlite, kPostgres };

// The engine's side of one prepared statement. Parameter indexes start at 1,
// column indexes at 0.
class Cursor {
 public:
  virtual ~Cursor() = default;

  // Ready to run again; bindings cleared.
  virtual void Reset() = 0;
  virtual void BindText(int index, std::string_view text) = 0;
  virtual void BindInt(int index, int64_t value) = 0;
  virtual void BindReal(int index, double value) = 0;
  virtual void BindNull(int index) = 0;

  // Steps once: true when a row is available, false when done. Errors carry
  // `context` and name the database; store.h's error contract.
  virtual Result<bool> Step(std::string_view context) = 0;

  virtual bool IsNull(int column) const = 0;
  virtual int64_t Int(int column) const = 0;
  virtual double Real(int column) const = 0;
  // Valid until the next Step(), Reset() or the cursor's release.
  virtual std::string_view TextView(int column) const = 0;
};

// A prepared statement, usually borrowed from its Connection's cache (reset
// and returned on destruction); one prepared outside the cache is owned and
// destroyed with it. Parameters are bound in order, starting at 1.
// REQUIRES: the Connection outlives it; at most one Statement per SQL text
// is alive at a time.
class Statement {
 public:
  explicit Statement(Cursor& borrowed) : cursor_(&borrowed) {}
  explicit Statement(std::unique_ptr<Cursor> owned)
      : cursor_(owned.get()), owned_(std::move(owned)) {}
  Statement(Statement&& other) noexcept
      : cursor_(std::exchange(other.cursor_, nullptr)),
        owned_(std::move(other.owned_)),
        next_index_(other.next_index_) {}
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement() {
    if (cursor_ != nullptr && owned_ == nullptr) cursor_->Reset();
  }

  // Makes the statement ready to run again with new parameters.
  void Reset() {
    cursor_->Reset();
    next_index_ = 1;
  }

  void Bind(std::string_view text) { cursor_->BindText(next_index_++, text); }
  void Bind(int64_t value) { cursor_->BindInt(next_index_++, value); }
  void BindNull() { cursor_->BindNull(next_index_++); }
  void Bind(std::optional<int64_t> value) {
    if (value) {
      Bind(*value);
    } else {
      BindNull();
    }
  }
  // Named apart from Bind: an int argument would be ambiguous.
  void BindReal(double value) { cursor_->BindReal(next_index_++, value); }

  Result<bool> Step(std::string_view context) { return cursor_->Step(context); }
  // Steps to completion, ignoring rows.
  Status Run(std::string_view context) {
    while (true) {
      WARDEN_ASSIGN_OR_RETURN(bool row, Step(context));
      if (!row) return Status::Ok();
    }
  }

  bool IsNull(int column) const { return cursor_->IsNull(column); }
  int64_t Int(int column) const { return cursor_->Int(column); }
  double Real(int column) const { return cursor_->Real(column); }
  std::string Text(int column) const {
    return std::string(cursor_->TextView(column));
  }
  std::string_view TextView(int column) const {
    return cursor_->TextView(column);
  }
  std::optional<int64_t> OptionalInt(int column) const {
    if (IsNull(column)) return std::nullopt;
    return Int(column);
  }

 private:
  Cursor* cursor_;
  std::unique_ptr<Cursor> owned_;
  int next_index_ = 1;
};

class Connection {
 public:
  virtual ~Connection() = default;

  virtual Dialect dialect() const = 0;

  // Runs one or more statements without parameters.
  virtual Status Exec(std::string_view sql, std::string_view context) = 0;

  // A statement from the cache, prepared on first use.
  virtual Result<Statement> Prepare(std::string_view sql,
                                    std::string_view context) = 0;

  // Rows changed by the last INSERT, UPDATE or DELETE.
  virtual int64_t Changes() const = 0;
  // False when the engine ended the transaction by itself (SQLite after an
  // I/O error; PostgreSQL after a lost connection) or none was begun.
  virtual bool InTransaction() const = 0;

  // Names the database in error messages: a file path, or host, port and
  // database name (never a password).
  virtual const std::string& location() const = 0;
};

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_CONNECTION_H_
