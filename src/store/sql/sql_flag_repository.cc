#include "store/sql/sql_flag_repository.h"

#include <string>

#include "store/sql/query.h"

namespace warden::sql {
namespace {

constexpr char kFlagColumns[] =
    "environment, key, type, enabled, archived, definition, owner_team, "
    "release, description, stale_after_days, created_at_us, updated_at_us, "
    "last_evaluated_at_us, version";

std::string FlagName(Environment environment, std::string_view key) {
  return "flag '" + std::string(Name(environment)) + "/" + std::string(key) +
         "'";
}

// Binds every column after (environment, key) but version, in kFlagColumns
// order.
void BindMutableColumns(Statement& stmt, const FlagRecord& flag) {
  BindAll(stmt, flag.type, int64_t{flag.enabled ? 1 : 0},
          int64_t{flag.archived ? 1 : 0}, flag.definition_json, flag.owner_team,
          flag.release, flag.description, int64_t{flag.stale_after_days},
          ToMicros(flag.created_at), ToMicros(flag.updated_at),
          OptionalMicros(flag.last_evaluated_at));
}

}  // namespace

Status SqlFlagRepository::Insert(const FlagRecord& flag) {
  context_.NoteChanged(ChangeKey::Exposure("flags", Name(flag.environment)));
  const std::string context = "insert " + FlagName(flag.environment, flag.key);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  return Execute(
      context_.connection,
      std::string("INSERT INTO flags (") + kFlagColumns +
          ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      context, Name(flag.environment), flag.key,
      [&flag](Statement& s) { BindMutableColumns(s, flag); }, flag.version);
}

Status SqlFlagRepository::Update(const FlagRecord& flag) {
  context_.NoteChanged(ChangeKey::Exposure("flags", Name(flag.environment)));
  const std::string context = "update " + FlagName(flag.environment, flag.key);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_RETURN_IF_ERROR(Execute(
      context_.connection,
      "UPDATE flags SET type = ?, enabled = ?, archived = ?, "
      "definition = ?, owner_team = ?, release = ?, description = ?, "
      "stale_after_days = ?, created_at_us = ?, updated_at_us = ?, "
      "last_evaluated_at_us = ?, version = ? "
      "WHERE environment = ? AND key = ? AND version = ?",
      context, [&flag](Statement& s) { BindMutableColumns(s, flag); },
      flag.version, Name(flag.environment), flag.key, flag.version - 1));
  if (context_.connection.Changes() == 1) return Status::Ok();
  WARDEN_ASSIGN_OR_RETURN(FlagRecord stored, Get(flag.environment, flag.key));
  return FailedPrecondition(
      FlagName(flag.environment, flag.key) + " is at version " +
          std::to_string(stored.version) + ", the update expected version " +
          std::to_string(flag.version - 1),
      "version-conflict");
}

Result<FlagRecord> SqlFlagRepository::Get(Environment environment,
                                          std::string_view key) {
  const std::string context = "get " + FlagName(environment, key);
  WARDEN_ASSIGN_OR_RETURN(
      std::optional<FlagRecord> flag,
      QueryFirst(
          context_.connection,
          std::string("SELECT ") + kFlagColumns +
              " FROM flags WHERE environment = ? AND key = ?",
          context, [this](const Statement& s) { return Decode(s); },
          Name(environment), key));
  if (!flag) return NotFound(FlagName(environment, key) + " not found");
  return std::move(*flag);
}

Result<std::vector<FlagRecord>> SqlFlagRepository::List(Environment environment,
                                                        bool include_archived) {
  const std::string context = "list flags of " + std::string(Name(environment));
  return QueryRows(
      context_.connection,
      std::string("SELECT ") + kFlagColumns +
          " FROM flags WHERE environment = ? AND (? OR archived = 0) "
          "ORDER BY key",
      context, [this](const Statement& s) { return Decode(s); },
      Name(environment), int64_t{include_archived ? 1 : 0});
}

Status SqlFlagRepository::TouchLastEvaluated(
    Environment environment, const std::vector<std::string>& keys,
    Timestamp at) {
  const std::string context =
      "record evaluations in " + std::string(Name(environment));
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(
          "UPDATE flags SET last_evaluated_at_us = ? WHERE environment = ? "
          "AND key = ? AND (last_evaluated_at_us IS NULL OR "
          "last_evaluated_at_us < ?)",
          context));
  for (const std::string& key : keys) {
    WARDEN_RETURN_IF_ERROR(Execute(stmt, context, ToMicros(at),
                                   Name(environment), key, ToMicros(at)));
  }
  return Status::Ok();
}

Result<FlagRecord> SqlFlagRepository::Decode(const Statement& s) const {
  FlagRecord flag;
  WARDEN_ASSIGN_OR_RETURN(
      flag.environment,
      context_.Decode(s, 0, "flags.environment", &ParseEnvironment));
  flag.key = s.Text(1);
  flag.type = s.Text(2);
  flag.enabled = s.Int(3) != 0;
  flag.archived = s.Int(4) != 0;
  flag.definition_json = s.Text(5);
  flag.owner_team = s.Text(6);
  flag.release = s.Text(7);
  flag.description = s.Text(8);
  flag.stale_after_days = static_cast<int>(s.Int(9));
  flag.created_at = FromMicros(s.Int(10));
  flag.updated_at = FromMicros(s.Int(11));
  flag.last_evaluated_at = OptionalTimestamp(s.OptionalInt(12));
  flag.version = s.Int(13);
  return flag;
}

}  // namespace warden::sql
