// One statement in one call: prepare (from the connection's cache), bind,
// step, and decode the rows, for the repositories of the SQL stores. The
// shapes a repository needs are few:
//
//   QueryRows   every row, decoded, in a vector      (List*)
//   QueryFirst  the first row or none                (Get*, Count*, Head)
//   Execute     no rows: INSERT, UPDATE, DELETE      (writes)
//   CollectRows every remaining row of a statement already prepared and
//               bound (when prepare and step need different contexts)
//
// Parameters are bound in order, starting at 1. Each argument is one of:
//   - a value Statement::Bind accepts (text, int64_t, std::optional<int64_t>:
//     empty binds NULL);
//   - a std::variant of such values (binds the alternative it holds);
//   - a std::vector of either (binds each element in order: the run-time
//     parameter lists of dynamic WHERE clauses);
//   - a callable `void(Statement&)` that binds a group of columns itself
//     (the column list an INSERT and an UPDATE share).
//
// A decoder is a callable `T(const Statement&)` or `Result<T>(const
// Statement&)`; it reads the current row's columns. A decoder that fails
// ends the query with its Status (a corrupt stored value).
//
// Errors: the Status of Connection::Prepare or Statement::Step, carrying
// `context` (and the database path), exactly as if the caller had written
// the calls out; nothing is added. A missing row is not an error here: the
// caller names it (kNotFound with the resource, or a default).
//
// Thread safety: as the Connection (one thread at a time).
#ifndef WARDEN_STORE_SQL_QUERY_H_
#define WARDEN_STORE_SQL_QUERY_H_

#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "core/status.h"
#include "store/sql/connection.h"

namespace warden::sql {
namespace query_internal {

template <typename T>
struct Decoded {
  using Row = T;
  static constexpr bool kMayFail = false;
};
template <typename T>
struct Decoded<Result<T>> {
  using Row = T;
  static constexpr bool kMayFail = true;
};

template <typename Decode>
using DecodedOf = Decoded<std::invoke_result_t<Decode&, const Statement&>>;

template <typename T>
struct IsVariant : std::false_type {};
template <typename... Ts>
struct IsVariant<std::variant<Ts...>> : std::true_type {};

template <typename T>
struct IsVector : std::false_type {};
template <typename T, typename A>
struct IsVector<std::vector<T, A>> : std::true_type {};

template <typename Param>
void BindOne(Statement& stmt, const Param& param) {
  if constexpr (std::is_invocable_v<const Param&, Statement&>) {
    param(stmt);
  } else if constexpr (IsVariant<Param>::value) {
    std::visit([&stmt](const auto& value) { BindOne(stmt, value); }, param);
  } else if constexpr (IsVector<Param>::value) {
    for (const auto& element : param) BindOne(stmt, element);
  } else {
    stmt.Bind(param);
  }
}

}  // namespace query_internal

// The row type a decoder yields (T for both `T` and `Result<T>`).
template <typename Decode>
using DecodedRow = typename query_internal::DecodedOf<Decode>::Row;

// Binds `params` to `stmt` in order (see the top of this file for the
// kinds of parameter).
template <typename... Params>
void BindAll(Statement& stmt, const Params&... params) {
  (query_internal::BindOne(stmt, params), ...);
}

// Steps `stmt` to completion, decoding each row with `decode`. On failure
// the first error: a step's (with `context`) or the decoder's.
template <typename Decode>
Result<std::vector<DecodedRow<Decode>>> CollectRows(Statement& stmt,
                                                    std::string_view context,
                                                    Decode decode) {
  using Row = DecodedRow<Decode>;
  std::vector<Row> rows;
  while (true) {
    WARDEN_ASSIGN_OR_RETURN(bool row, stmt.Step(context));
    if (!row) return rows;
    if constexpr (query_internal::DecodedOf<Decode>::kMayFail) {
      WARDEN_ASSIGN_OR_RETURN(Row value, decode(stmt));
      rows.push_back(std::move(value));
    } else {
      rows.push_back(decode(stmt));
    }
  }
}

// Prepares `sql`, binds `params` and returns every row decoded by `decode`,
// in the order the engine yields them.
template <typename Decode, typename... Params>
Result<std::vector<DecodedRow<Decode>>> QueryRows(Connection& connection,
                                                  std::string_view sql,
                                                  std::string_view context,
                                                  Decode decode,
                                                  const Params&... params) {
  WARDEN_ASSIGN_OR_RETURN(Statement stmt, connection.Prepare(sql, context));
  BindAll(stmt, params...);
  return CollectRows(stmt, context, std::move(decode));
}

// Prepares `sql`, binds `params`, steps once and returns the first row
// decoded by `decode`, or std::nullopt when there is none. Later rows are
// neither read nor checked.
template <typename Decode, typename... Params>
Result<std::optional<DecodedRow<Decode>>> QueryFirst(Connection& connection,
                                                     std::string_view sql,
                                                     std::string_view context,
                                                     Decode decode,
                                                     const Params&... params) {
  using Row = DecodedRow<Decode>;
  WARDEN_ASSIGN_OR_RETURN(Statement stmt, connection.Prepare(sql, context));
  BindAll(stmt, params...);
  WARDEN_ASSIGN_OR_RETURN(bool row, stmt.Step(context));
  if (!row) return std::optional<Row>();
  if constexpr (query_internal::DecodedOf<Decode>::kMayFail) {
    WARDEN_ASSIGN_OR_RETURN(Row value, decode(stmt));
    return std::optional<Row>(std::move(value));
  } else {
    return std::optional<Row>(decode(stmt));
  }
}

// Binds `params` to the prepared `stmt`, runs it to completion (rows are
// ignored) and, on success, resets it so that it can run again: the form
// for one statement run once per element of a list. On failure `stmt` is
// left as the error found it; the caller returns the error.
template <typename... Params>
Status Execute(Statement& stmt, std::string_view context,
               const Params&... params) {
  BindAll(stmt, params...);
  WARDEN_RETURN_IF_ERROR(stmt.Run(context));
  stmt.Reset();
  return Status::Ok();
}

// Prepares `sql`, binds `params` and runs it to completion. The rows it
// changed are then Connection::Changes().
template <typename... Params>
Status Execute(Connection& connection, std::string_view sql,
               std::string_view context, const Params&... params) {
  WARDEN_ASSIGN_OR_RETURN(Statement stmt, connection.Prepare(sql, context));
  BindAll(stmt, params...);
  return stmt.Run(context);
}

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_QUERY_H_
