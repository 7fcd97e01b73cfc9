#include "releases/tenant_releases.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/time_format.h"
#include "eval/snapshot.h"
#include "exposure/exposure_checks.h"
#include "releases/release_json.h"
#include "releases/release_notes.h"
#include "service/audited_write.h"
#include "service/field_checks.h"

namespace warden::releases {
namespace {

namespace json = boost::json;

constexpr char kOptIn[] = "opt_in";
constexpr char kNotice[] = "notice";
constexpr char kSelfService[] = "self_service";
constexpr char kViaAccountManager[] = "account_manager";

std::string TenantTarget(std::string_view key) {
  return fmt::format("tenant/{}", key);
}

Result<TenantRecord> LoadTenant(Transaction& tx, std::string_view key) {
  Result<TenantRecord> found = tx.tenants().Get(key);
  if (found.ok() || found.status().code() != StatusCode::kNotFound) {
    return found;
  }
  return NotFound(fmt::format("tenant \"{}\" does not exist", key));
}

Status CheckConsent(ConsentRequest& request) {
  if (request.kind != kOptIn && request.kind != kNotice) {
    return FieldError("kind", "must be opt_in or notice");
  }
  if (request.via.empty()) request.via = kViaAccountManager;
  if (request.via != kSelfService && request.via != kViaAccountManager) {
    return FieldError("via", "must be self_service or account_manager");
  }
  if (request.flags.empty() == request.release_id.empty()) {
    return FieldError("flags", "name flags or a release, not both");
  }
  return exposure::CheckKeyList("flags", request.flags, 1'000);
}

// What a result means for the tenant: it has the feature, or not (and
// what it waits for, when that is the tenant's own gate).
enum class Seen { kOn, kOff, kAwaitingOptIn, kAwaitingApproval };

Seen Classify(const eval::EvaluationResult& result) {
  if (result.reason == eval::Reason::kGated) {
    return result.gate_requirement == "opt_in" ? Seen::kAwaitingOptIn
                                               : Seen::kAwaitingApproval;
  }
  if (!result.ok() || result.value == nullptr) return Seen::kOff;
  if (result.reason == eval::Reason::kLimited ||
      result.reason == eval::Reason::kStaged ||
      result.reason == eval::Reason::kDisabled) {
    return Seen::kOff;
  }
  if (result.value->is_bool() && !result.value->get_bool()) return Seen::kOff;
  return Seen::kOn;
}

ChangelogEntry EntryFor(const ReleaseRecord& release,
                        const eval::Snapshot& snapshot,
                        const eval::EvaluationContext& context) {
  ChangelogEntry entry{release, {}, {}, {}};
  for (const std::string& flag : release.flags) {
    if (!snapshot.HasFlag(flag)) continue;
    switch (Classify(snapshot.Evaluate(flag, context))) {
      case Seen::kOn:
        entry.flags_on.push_back(flag);
        break;
      case Seen::kAwaitingOptIn:
        entry.awaiting_opt_in.push_back(flag);
        break;
      case Seen::kAwaitingApproval:
        entry.awaiting_approval.push_back(flag);
        break;
      case Seen::kOff:
        break;
    }
  }
  return entry;
}

// A release belongs in a tenant's changelog when the tenant has one of its
// flags, or it ships no flag (its changes reach everyone with the deploy),
// or it waits for that tenant's opt-in (the customer should hear of it).
bool Relevant(const ChangelogEntry& entry) {
  return entry.release.state != "rolled_back" &&
         (entry.release.flags.empty() || !entry.flags_on.empty() ||
          !entry.awaiting_opt_in.empty());
}

json::array Strings(const std::vector<std::string>& items) {
  return json::array(items.begin(), items.end());
}

}  // namespace

Result<std::vector<ConsentRecord>> TenantReleases::RecordConsent(
    const Caller& caller, std::string_view tenant, ConsentRequest request) {
  std::vector<ConsentRecord> recorded;
  AuditedWrite write(store_, auditor_, caller, "consent.record",
                     TenantTarget(tenant), Permission::kConsentWrite);
  const Status status = write.Run([&](Transaction& tx) -> Status {
    recorded.clear();
    WARDEN_RETURN_IF_ERROR(CheckConsent(request));
    WARDEN_ASSIGN_OR_RETURN(TenantRecord stored, LoadTenant(tx, tenant));
    const AuthzDecision decision = AuthorizeOnAccounts(
        caller.principal, Permission::kConsentWrite, {stored.account_manager});
    if (!decision.allowed) return write.Refuse(decision.reason, "");
    std::vector<std::string> flags = request.flags;
    if (!request.release_id.empty()) {
      Result<ReleaseRecord> release = tx.releases().Get(request.release_id);
      if (!release.ok()) {
        if (release.status().code() != StatusCode::kNotFound) {
          return release.status();
        }
        return FieldError("release", fmt::format("release \"{}\" does not "
                                                 "exist",
                                                 request.release_id));
      }
      flags = release->flags;
    }
    for (const std::string& flag : flags) {
      ConsentRecord consent{stored.key,         flag,
                            request.kind,       request.via,
                            request.release_id, caller.principal.subject,
                            write.now()};
      WARDEN_RETURN_IF_ERROR(tx.consents().Put(consent));
      recorded.push_back(std::move(consent));
    }
    return write.Record(tx, json::object{{"kind", request.kind},
                                         {"via", request.via},
                                         {"flags", Strings(flags)},
                                         {"release", request.release_id}});
  });
  if (!status.ok()) return status;
  exposure::ReportPublishFailure(
      "consent.record",
      publisher_.PublishAll(json::object{{"kind", "consent.record"},
                                         {"tenant", std::string(tenant)}},
                            exposure::ExposureSection::kGates));
  return recorded;
}

Result<std::vector<ConsentRecord>> TenantReleases::ListConsents(
    const Caller& caller, std::string_view tenant) {
  std::vector<ConsentRecord> consents;
  WARDEN_RETURN_IF_ERROR(auditor_.AuditedRead(
      caller, Permission::kTenantRead, "consent.list", TenantTarget(tenant),
      [&](Transaction& tx) -> Status {
        WARDEN_RETURN_IF_ERROR(LoadTenant(tx, tenant).status());
        WARDEN_ASSIGN_OR_RETURN(consents, tx.consents().ListForTenant(tenant));
        return Status::Ok();
      }));
  return consents;
}

Result<Changelog> TenantReleases::BuildChangelog(const Caller& caller,
                                                 std::string_view tenant,
                                                 Environment env) {
  Changelog changelog;
  changelog.tenant = std::string(tenant);
  changelog.environment = env;
  std::vector<ReleaseRecord> releases;
  WARDEN_RETURN_IF_ERROR(auditor_.AuditedRead(
      caller, Permission::kReleaseRead, "tenant.changelog",
      TenantTarget(tenant), [&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(TenantRecord stored, LoadTenant(tx, tenant));
        changelog.tenant_name = stored.name;
        ReleaseFilter filter;
        filter.environment = env;
        WARDEN_ASSIGN_OR_RETURN(
            Page<ReleaseRecord> page,
            tx.releases().List(filter, {std::nullopt, kMaxChangelogReleases}));
        releases = std::move(page.items);
        return Status::Ok();
      }));
  const auto config = publisher_.feed().Current(env);
  eval::EvaluationContext context;
  context.targeting_key = std::string(tenant);
  context.now = auditor_.clock().Now();
  for (const ReleaseRecord& release : releases) {
    ChangelogEntry entry = EntryFor(release, *config->snapshot, context);
    if (Relevant(entry)) changelog.entries.push_back(std::move(entry));
  }
  return changelog;
}

json::object ConsentToJson(const ConsentRecord& consent) {
  return {{"tenant", consent.tenant_key},
          {"flag", consent.flag_key},
          {"kind", consent.kind},
          {"via", consent.via},
          {"release", consent.release_id},
          {"recorded_by", consent.recorded_by},
          {"recorded_at", FormatRfc3339(consent.recorded_at)}};
}

json::object ChangelogToJson(const Changelog& changelog) {
  json::array entries;
  for (const ChangelogEntry& entry : changelog.entries) {
    Result<ReleaseNotes> notes = NotesFromText(entry.release.notes_json);
    entries.push_back(json::object{
        {"release", entry.release.id},
        {"service", entry.release.service},
        {"version", entry.release.service_version},
        {"recorded_at", FormatRfc3339(entry.release.created_at)},
        {"changes", notes.ok() ? Strings(notes->changes) : json::array()},
        {"customer_notice", notes.ok() ? notes->customer_notice : ""},
        {"flags_on", Strings(entry.flags_on)},
        {"awaiting_opt_in", Strings(entry.awaiting_opt_in)},
        {"awaiting_approval", Strings(entry.awaiting_approval)}});
  }
  return {{"tenant", changelog.tenant},
          {"tenant_name", changelog.tenant_name},
          {"environment", Name(changelog.environment)},
          {"entries", std::move(entries)}};
}

std::string ChangelogToMarkdown(const Changelog& changelog) {
  std::string out = fmt::format(
      "# What's new for {}\n",
      changelog.tenant_name.empty() ? changelog.tenant : changelog.tenant_name);
  if (changelog.entries.empty()) out += "\nNo changes yet.\n";
  for (const ChangelogEntry& entry : changelog.entries) {
    Result<ReleaseNotes> notes = NotesFromText(entry.release.notes_json);
    out += fmt::format("\n## {} {} ({})\n\n", entry.release.service,
                       entry.release.service_version,
                       FormatRfc3339(entry.release.created_at).substr(0, 10));
    if (notes.ok()) {
      for (const std::string& change : notes->changes) {
        out += fmt::format("- {}\n", change);
      }
      if (!notes->customer_notice.empty()) {
        out += fmt::format("\n> {}\n", notes->customer_notice);
      }
    }
    if (!entry.flags_on.empty()) {
      out += fmt::format("\nAvailable to you: {}\n",
                         fmt::join(entry.flags_on, ", "));
    }
    if (!entry.awaiting_opt_in.empty()) {
      out += fmt::format("\nAvailable once you opt in: {}\n",
                         fmt::join(entry.awaiting_opt_in, ", "));
    }
  }
  return out;
}

}  // namespace warden::releases
