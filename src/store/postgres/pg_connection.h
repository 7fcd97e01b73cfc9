// PostgreSQL behind sql::Connection (store/sql/connection.h), on libpq: one
// server connection, statements prepared on the server once per connection
// and cached by SQL text, the repositories' `?` / `?N` placeholders
// rewritten to `$N`, and the single mapping of SQLSTATEs to Status
// (store.h's error contract).
//
// Values travel as text: parameters are sent untyped and PostgreSQL infers
// each one's type from the statement; results are read from their text form
// (booleans as 1 or 0).
//
// A connection the server dropped is re-established by the next Exec()
// outside a transaction (the store's BEGIN): statements are then prepared
// again on first use. A transaction the drop interrupted is reported by
// InTransaction() turning false.
//
// Thread safety: one thread at a time, like every sql::Connection.
#ifndef WARDEN_STORE_POSTGRES_PG_CONNECTION_H_
#define WARDEN_STORE_POSTGRES_PG_CONNECTION_H_

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "store/sql/connection.h"

namespace warden::postgres {

// `sql` with each `?` outside literals, quoted identifiers and comments
// replaced by `$<n>` (numbered in order) and each `?N` by `$N`.
std::string RewritePlaceholders(std::string_view sql);

// The Status for a failed result: SQLSTATE 23505 -> kAlreadyExists, 23503 ->
// kFailedPrecondition, other class 23 -> kInvalidArgument, connection,
// resource and serialization failures (08, 53, 57, 40) -> kUnavailable,
// everything else kInternal. The message is "<context>: <detail>".
Status StatusFromSqlState(std::string_view sqlstate, std::string_view context,
                          std::string_view detail);

// A libpq connection URI with its password (and any `password=` parameter)
// masked, for logs and errors.
std::string RedactConnectionUri(std::string_view uri);

class PgConnection;

// One prepared statement (sql::Cursor): executed at the first Step() after
// binding, its whole result then held and walked row by row.
class PgCursor final : public sql::Cursor {
 public:
  PgCursor(PgConnection& connection, std::string name, std::string sql);
  ~PgCursor() override;
  PgCursor(const PgCursor&) = delete;
  PgCursor& operator=(const PgCursor&) = delete;

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
  void SetParam(int index, std::optional<std::string> value);
  Status Execute(std::string_view context);
  void ClearResult();

  PgConnection& connection_;
  const std::string name_;       // of the server-side prepared statement
  const std::string sql_;        // with $N placeholders
  uint64_t prepared_epoch_ = 0;  // 0: not prepared on the server yet
  std::vector<std::optional<std::string>> params_;
  PGresult* result_ = nullptr;
  int row_ = -1;  // -1: not executed since the last Reset()
};

class PgConnection final : public sql::Connection {
 public:
  // Connects with a libpq URI or key=value string. kUnavailable (with the
  // redacted URI) when the server cannot be reached or refuses.
  static Result<std::unique_ptr<PgConnection>> Open(const std::string& uri);

  ~PgConnection() override;
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  sql::Dialect dialect() const override { return sql::Dialect::kPostgres; }
  Status Exec(std::string_view sql, std::string_view context) override;
  Result<sql::Statement> Prepare(std::string_view sql,
                                 std::string_view context) override;
  int64_t Changes() const override { return changes_; }
  bool InTransaction() const override;
  const std::string& location() const override { return location_; }

  // The error of `result` (may be null: the connection's own error).
  Status Error(const PGresult* result, std::string_view context) const;

 private:
  friend class PgCursor;

  PgConnection(PGconn* conn, std::string location)
      : conn_(conn), location_(std::move(location)) {}
  // Re-establishes a dropped connection (outside a transaction only).
  Status EnsureConnected(std::string_view context);

  PGconn* conn_;
  std::string location_;
  // Bumped at each reconnect: statements prepared in an older epoch are
  // prepared again.
  uint64_t epoch_ = 1;
  int64_t changes_ = 0;
  uint64_t next_statement_ = 0;
  std::unordered_map<std::string, std::unique_ptr<PgCursor>> statements_;
};

}  // namespace warden::postgres

#endif  // WARDEN_STORE_POSTGRES_PG_CONNECTION_H_
