#include "exposure/flag_service.h"

#include <fmt/format.h>

#include <boost/json/serialize.hpp>
#include <cstdio>

#include "eval/flagd_format.h"
#include "eval/off_variant.h"
#include "exposure/exposure_records_codec.h"
#include "service/audited_write.h"
#include "service/field_checks.h"

namespace warden::exposure {
namespace {

namespace json = boost::json;

constexpr size_t kMaxFlagKeyLength = 128;
constexpr size_t kMaxFlagText = 2000;  // description, release, owner

std::string FlagTarget(Environment env, std::string_view key) {
  return fmt::format("flag/{}/{}", Name(env), key);
}

bool IsStale(const FlagRecord& record, Timestamp now) {
  Timestamp last = record.updated_at;
  if (record.last_evaluated_at && *record.last_evaluated_at > last) {
    last = *record.last_evaluated_at;
  }
  return now - last > std::chrono::hours(24) * record.stale_after_days;
}

Result<FlagView> ViewOf(const FlagRecord& record, Timestamp now) {
  FlagView view;
  view.environment = record.environment;
  WARDEN_ASSIGN_OR_RETURN(view.spec, FlagSpecFromRecord(record));
  view.archived = record.archived;
  view.created_at = record.created_at;
  view.updated_at = record.updated_at;
  view.last_evaluated_at = record.last_evaluated_at;
  view.version = record.version;
  view.stale = IsStale(record, now);
  return view;
}

Result<std::optional<FlagRecord>> FindFlag(Transaction& tx, Environment env,
                                           std::string_view key) {
  Result<FlagRecord> found = tx.flags().Get(env, key);
  if (found.ok()) return std::optional<FlagRecord>(std::move(*found));
  if (found.status().code() == StatusCode::kNotFound) {
    return std::optional<FlagRecord>();
  }
  return found.status();
}

Status NoSuchFlag(Environment env, std::string_view key) {
  return NotFound(
      fmt::format("flag \"{}\" does not exist in {}", key, Name(env)));
}

Status CheckSpec(const wire::FlagSpec& spec) {
  WARDEN_RETURN_IF_ERROR(CheckName("key", spec.flag.key, kMaxFlagKeyLength));
  const eval::FlagMetadata& m = spec.flag.metadata;
  WARDEN_RETURN_IF_ERROR(CheckText("owner_team", m.owner_team, kMaxFlagText));
  WARDEN_RETURN_IF_ERROR(CheckText("release", m.release, kMaxFlagText));
  return CheckText("description", m.description, kMaxFlagText);
}

Status CheckVersion(const FlagRecord& current,
                    std::optional<int64_t> expected) {
  if (!expected || *expected == current.version) return Status::Ok();
  return FailedPrecondition(
      fmt::format("flag {} is at version {}, not {}", current.key,
                  current.version, *expected),
      "version-conflict");
}

// Inserts a new flag, revives an archived one, or replaces an active one.
Status Upsert(Transaction& tx, const std::optional<FlagRecord>& current,
              FlagRecord& record, Timestamp now) {
  record.updated_at = now;
  if (!current) {
    record.created_at = now;
    record.version = 1;
    return tx.flags().Insert(record);
  }
  record.created_at = current->archived ? now : current->created_at;
  record.last_evaluated_at = current->last_evaluated_at;
  record.version = current->version + 1;
  return tx.flags().Update(record);
}

json::object Describe(const FlagRecord& record) {
  return {{"environment", Name(record.environment)},
          {"key", record.key},
          {"state", record.enabled ? "enabled" : "disabled"},
          {"archived", record.archived},
          {"owner_team", record.owner_team},
          {"version", record.version}};
}

// A patch that changes what a limit could serve is held to the creation
// rule; other patches leave a flag written before the rule as it is.
bool TouchesOffState(const json::object& patch) {
  return patch.contains("type") || patch.contains("variants") ||
         patch.contains("off_variant");
}

// The environment's shared flag-set state as stored.
struct StoredFlagSet {
  json::object evaluators;
  json::object metadata;
};

Result<json::object> LoadSetting(Transaction& tx, const std::string& key) {
  WARDEN_ASSIGN_OR_RETURN(std::optional<std::string> text,
                          tx.settings().Get(key));
  if (!text) return json::object{};
  return wire::ParseObject(*text, key);
}

Result<StoredFlagSet> LoadFlagSet(Transaction& tx, Environment env) {
  StoredFlagSet stored;
  WARDEN_ASSIGN_OR_RETURN(stored.evaluators,
                          LoadSetting(tx, EvaluatorsSettingKey(env)));
  WARDEN_ASSIGN_OR_RETURN(stored.metadata,
                          LoadSetting(tx, FlagSetMetadataSettingKey(env)));
  return stored;
}

// --strict / ?strict=true: the paths of the first warnings in the detail.
Status RefuseWarnings(const eval::FlagdDocument& doc) {
  if (doc.warnings.empty()) return Status::Ok();
  constexpr size_t kNamed = 20;
  std::string detail = fmt::format("strict import refuses {} warning(s):",
                                   doc.warnings.size() + doc.warnings_omitted);
  for (size_t i = 0; i < doc.warnings.size() && i < kNamed; ++i) {
    detail +=
        fmt::format(" {}: {};", doc.warnings[i].path, doc.warnings[i].message);
  }
  if (doc.warnings.size() > kNamed) detail += " ...";
  return InvalidArgument(std::move(detail), "import-warnings");
}

json::object DescribeImport(Environment env, const FlagImportSummary& s) {
  return {{"environment", Name(env)},
          {"created", s.created},
          {"updated", s.updated},
          {"flags", wire::StringListToJson(s.keys)},
          {"evaluators_changed", s.evaluators_changed},
          {"metadata_changed", s.metadata_changed},
          {"warnings", s.warnings.size() + s.warnings_omitted}};
}

// A shared section present in the file and different from the stored one
// is replaced, with flag_set.write; absent or identical, it is kept.
Status ImportFlagSet(Transaction& tx, AuditedWrite& write, Environment env,
                     const eval::FlagdDocument& doc,
                     const StoredFlagSet& stored, FlagImportSummary& summary) {
  summary.evaluators_changed =
      doc.has_evaluators && doc.config.evaluators != stored.evaluators;
  summary.metadata_changed =
      doc.has_metadata && doc.config.metadata != stored.metadata;
  if (summary.evaluators_changed || summary.metadata_changed) {
    WARDEN_RETURN_IF_ERROR(write.AuthorizeAlso(Permission::kFlagSetWrite));
  }
  if (summary.evaluators_changed) {
    WARDEN_RETURN_IF_ERROR(tx.settings().Put(
        EvaluatorsSettingKey(env), json::serialize(doc.config.evaluators)));
  }
  if (summary.metadata_changed) {
    WARDEN_RETURN_IF_ERROR(tx.settings().Put(
        FlagSetMetadataSettingKey(env), json::serialize(doc.config.metadata)));
  }
  return Status::Ok();
}

Status ImportFlag(Transaction& tx, AuditedWrite& write, Environment env,
                  eval::Flag& flag, FlagImportSummary& summary) {
  WARDEN_ASSIGN_OR_RETURN(std::optional<FlagRecord> current,
                          FindFlag(tx, env, flag.key));
  if (current && !current->archived) {
    WARDEN_RETURN_IF_ERROR(write.Authorize(current->owner_team));
  }
  wire::FlagSpec spec{std::move(flag), wire::kDefaultStaleAfterDays};
  if (current) spec.stale_after_days = current->stale_after_days;
  WARDEN_RETURN_IF_ERROR(CheckSpec(spec).WithContext("flags." + spec.flag.key));
  WARDEN_RETURN_IF_ERROR(write.Authorize(spec.flag.metadata.owner_team));
  FlagRecord record;
  record.environment = env;
  FillFlagRecord(spec, record);
  WARDEN_RETURN_IF_ERROR(Upsert(tx, current, record, write.now()));
  (current && !current->archived ? summary.updated : summary.created)++;
  summary.keys.push_back(record.key);
  return Status::Ok();
}

}  // namespace

Result<std::vector<FlagView>> FlagService::List(const Caller& caller,
                                                Environment env,
                                                bool stale_only) {
  std::vector<FlagView> views;
  const Timestamp now = auditor_.clock().Now();
  const Status status = auditor_.AuditedRead(
      caller, Permission::kFlagRead, "flag.list",
      fmt::format("flag/{}", Name(env)), [&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(std::vector<FlagRecord> records,
                                tx.flags().List(env, false));
        for (const FlagRecord& record : records) {
          WARDEN_ASSIGN_OR_RETURN(FlagView view, ViewOf(record, now));
          if (!stale_only || view.stale) views.push_back(std::move(view));
        }
        return Status::Ok();
      });
  if (!status.ok()) return status;
  return views;
}

Result<FlagView> FlagService::Get(const Caller& caller, Environment env,
                                  std::string_view key) {
  FlagView view;
  const Timestamp now = auditor_.clock().Now();
  const Status status = auditor_.AuditedRead(
      caller, Permission::kFlagRead, "flag.read", FlagTarget(env, key),
      [&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(std::optional<FlagRecord> record,
                                FindFlag(tx, env, key));
        if (!record || record->archived) return NoSuchFlag(env, key);
        WARDEN_ASSIGN_OR_RETURN(view, ViewOf(*record, now));
        return Status::Ok();
      });
  if (!status.ok()) return status;
  return view;
}

Result<FlagView> FlagService::Write(
    const Caller& caller, Environment env, std::string_view action,
    std::string_view key,
    const std::function<Result<wire::FlagSpec>(const std::optional<FlagView>&)>&
        change,
    std::optional<int64_t> expected_version, bool must_exist,
    bool check_off_variant) {
  FlagView out;
  AuditedWrite write(store_, auditor_, caller, action, FlagTarget(env, key),
                     Permission::kFlagWrite);
  const Status status = write.Run([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(std::optional<FlagRecord> current,
                            FindFlag(tx, env, key));
    std::optional<FlagView> current_view;
    if (current && !current->archived) {
      WARDEN_RETURN_IF_ERROR(write.Authorize(current->owner_team));
      WARDEN_RETURN_IF_ERROR(CheckVersion(*current, expected_version));
      WARDEN_ASSIGN_OR_RETURN(current_view, ViewOf(*current, write.now()));
    } else if (must_exist) {
      return NoSuchFlag(env, key);
    }
    WARDEN_ASSIGN_OR_RETURN(wire::FlagSpec spec, change(current_view));
    WARDEN_RETURN_IF_ERROR(CheckSpec(spec));
    if (check_off_variant) {
      WARDEN_RETURN_IF_ERROR(eval::CheckOffVariant(spec.flag));
    }
    if (spec.flag.key != key) {
      return FieldError("key", fmt::format("must be \"{}\" (the flag's key)",
                                           key.substr(0, 128)));
    }
    WARDEN_RETURN_IF_ERROR(write.Authorize(spec.flag.metadata.owner_team));
    FlagRecord record;
    record.environment = env;
    FillFlagRecord(spec, record);
    WARDEN_RETURN_IF_ERROR(Upsert(tx, current, record, write.now()));
    WARDEN_RETURN_IF_ERROR(publisher_.ValidateInTransaction(tx, env));
    WARDEN_ASSIGN_OR_RETURN(out, ViewOf(record, write.now()));
    return write.Record(tx, Describe(record));
  });
  if (!status.ok()) return status;
  Publish(env, action, key);
  return out;
}

Result<FlagView> FlagService::Create(const Caller& caller, Environment env,
                                     wire::FlagSpec spec) {
  const std::string key = spec.flag.key;
  return Write(
      caller, env, "flag.create", key,
      [&](const std::optional<FlagView>& current) -> Result<wire::FlagSpec> {
        if (current) {
          return AlreadyExists(
              fmt::format("flag \"{}\" already exists in {}", key, Name(env)));
        }
        return spec;
      },
      std::nullopt, /*must_exist=*/false, /*check_off_variant=*/true);
}

Result<FlagView> FlagService::Replace(const Caller& caller, Environment env,
                                      std::string_view key, wire::FlagSpec spec,
                                      std::optional<int64_t> expected_version) {
  return Write(
      caller, env, "flag.update", key,
      [&](const std::optional<FlagView>&) -> Result<wire::FlagSpec> {
        return spec;
      },
      expected_version, /*must_exist=*/true, /*check_off_variant=*/true);
}

Result<FlagView> FlagService::Patch(const Caller& caller, Environment env,
                                    std::string_view key,
                                    const json::object& patch,
                                    std::optional<int64_t> expected_version) {
  return Write(
      caller, env, "flag.update", key,
      [&](const std::optional<FlagView>& current) -> Result<wire::FlagSpec> {
        return wire::FlagSpecFromJson(
            wire::MergeTopLevel(wire::FlagSpecToJson(current->spec), patch));
      },
      expected_version, /*must_exist=*/true,
      /*check_off_variant=*/TouchesOffState(patch));
}

Result<FlagView> FlagService::Archive(const Caller& caller, Environment env,
                                      std::string_view key) {
  FlagView out;
  AuditedWrite write(store_, auditor_, caller, "flag.archive",
                     FlagTarget(env, key), Permission::kFlagWrite);
  const Status status = write.Run([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(std::optional<FlagRecord> current,
                            FindFlag(tx, env, key));
    if (!current || current->archived) return NoSuchFlag(env, key);
    WARDEN_RETURN_IF_ERROR(write.Authorize(current->owner_team));
    FlagRecord record = *current;
    record.archived = true;
    record.updated_at = write.now();
    record.version = current->version + 1;
    WARDEN_RETURN_IF_ERROR(tx.flags().Update(record));
    WARDEN_ASSIGN_OR_RETURN(out, ViewOf(record, write.now()));
    return write.Record(tx, Describe(record));
  });
  if (!status.ok()) return status;
  Publish(env, "flag.archive", key);
  return out;
}

Result<FlagImportSummary> FlagService::Import(const Caller& caller,
                                              Environment env,
                                              std::string_view flagd_json,
                                              FlagImportOptions options) {
  FlagImportSummary summary;
  AuditedWrite write(store_, auditor_, caller, "flag.import",
                     fmt::format("flag/{}", Name(env)), Permission::kFlagWrite);
  const Status status = write.Run([&](Transaction& tx) -> Status {
    // flag.write at all (an app_owner: on its own team) before the file or
    // the store is read; each flag and shared section is checked below.
    WARDEN_RETURN_IF_ERROR(write.Authorize(caller.principal.team));
    WARDEN_ASSIGN_OR_RETURN(StoredFlagSet stored, LoadFlagSet(tx, env));
    WARDEN_ASSIGN_OR_RETURN(
        eval::FlagdDocument doc,
        eval::ReadFlagd(flagd_json, publisher_.limits(), stored.evaluators));
    if (options.strict) WARDEN_RETURN_IF_ERROR(RefuseWarnings(doc));
    WARDEN_RETURN_IF_ERROR(ImportFlagSet(tx, write, env, doc, stored, summary));
    for (eval::Flag& flag : doc.config.flags) {
      WARDEN_RETURN_IF_ERROR(ImportFlag(tx, write, env, flag, summary));
    }
    WARDEN_RETURN_IF_ERROR(publisher_.ValidateInTransaction(tx, env));
    summary.warnings = std::move(doc.warnings);
    summary.warnings_omitted = doc.warnings_omitted;
    return write.Record(tx, DescribeImport(env, summary));
  });
  if (!status.ok()) return status;
  Publish(env, "flag.import", "");
  return summary;
}

Result<std::string> FlagService::Export(const Caller& caller, Environment env) {
  std::string out;
  const Status status = auditor_.AuditedRead(
      caller, Permission::kFlagRead, "flag.export",
      fmt::format("flag/{}", Name(env)), [&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(
            eval::EnvironmentConfig config,
            ExposurePublisher::Load(tx, env, /*with_members=*/false));
        WARDEN_ASSIGN_OR_RETURN(out, eval::ExportFlagd(config));
        return Status::Ok();
      });
  if (!status.ok()) return status;
  return out;
}

void FlagService::Publish(Environment env, std::string_view kind,
                          std::string_view key) {
  json::object change{{"kind", kind}};
  if (!key.empty()) change["key"] = key;
  const Status status =
      publisher_.Publish(env, change, ExposureSection::kFlags);
  // The change is committed; a failed publish leaves the previous snapshot
  // serving until the next change republishes the environment.
  if (!status.ok()) {
    std::fprintf(stderr, "publish after %.*s: %s\n",
                 static_cast<int>(kind.size()), kind.data(),
                 status.ToString().c_str());
  }
}

}  // namespace warden::exposure
