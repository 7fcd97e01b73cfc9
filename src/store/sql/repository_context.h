// What every SQL repository of one transaction shares: the connection the
// transaction runs on and whether it may write. Also small helpers for
// decoding stored columns and naming rows in errors. Running statements is
// query.h's part.
//
// Thread safety: as the Transaction it belongs to (one thread, one call).
#ifndef WARDEN_STORE_SQL_REPOSITORY_CONTEXT_H_
#define WARDEN_STORE_SQL_REPOSITORY_CONTEXT_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/audit_chain_key.h"
#include "core/clock.h"
#include "core/status.h"
#include "store/change_feed.h"
#include "store/sql/connection.h"

namespace warden::sql {

struct RepositoryContext {
  Connection& connection;
  bool writable;
  // Keys appended audit records (sql_audit_log.h); null: unkeyed.
  const AuditChainKey* audit_key = nullptr;
  // Collects the ChangeKeys (store/change_feed.h) of rows this write
  // changes, for the store to publish after the commit; null in reads.
  std::vector<std::string>* changed = nullptr;

  void NoteChanged(std::string key) const {
    if (changed != nullptr) changed->push_back(std::move(key));
  }

  // kInternal for a write through a read transaction (a caller bug).
  Status CheckWritable(std::string_view operation) const {
    if (writable) return Status::Ok();
    return Internal(std::string(operation) +
                    ": write attempted in a read transaction");
  }

  // kNotFound "<what> not found" when the last UPDATE or DELETE on the
  // connection touched no row.
  Status RequireChanged(std::string_view what) const {
    if (connection.Changes() > 0) return Status::Ok();
    return NotFound(std::string(what) + " not found");
  }

  // kInternal naming the table, column and value that did not decode.
  Status Corrupt(std::string_view column, std::string_view value) const {
    return Internal("corrupt row: " + std::string(column) + " = '" +
                    std::string(value) + "' [" + connection.location() + "]");
  }

  // Decodes a vocabulary column with `parse` (a Parse* from vocabulary.h).
  template <typename Parse>
  auto Decode(const Statement& stmt, int column, std::string_view name,
              Parse parse) const
      -> Result<typename decltype(parse(std::string_view()))::value_type> {
    std::string text = stmt.Text(column);
    auto value = parse(text);
    if (!value) return Corrupt(name, text);
    return *value;
  }
};

// `s` in single quotes, as error messages name a key.
inline std::string Quoted(std::string_view s) {
  return "'" + std::string(s) + "'";
}

inline std::optional<int64_t> OptionalMicros(
    const std::optional<Timestamp>& t) {
  if (!t) return std::nullopt;
  return ToMicros(*t);
}

inline std::optional<Timestamp> OptionalTimestamp(
    const std::optional<int64_t>& us) {
  if (!us) return std::nullopt;
  return FromMicros(*us);
}

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_REPOSITORY_CONTEXT_H_
