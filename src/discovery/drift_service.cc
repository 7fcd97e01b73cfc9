#include "discovery/drift_service.h"

#include <boost/json.hpp>

#include "core/id.h"
#include "core/team.h"
#include "discovery/drift_changes.h"
#include "inventory/identity_rules.h"
#include "service/audited_write.h"
#include "service/field_checks.h"

namespace warden::discovery {
namespace {

namespace json = boost::json;

constexpr size_t kMaxTargetLength = 1024;
constexpr int kMaxPageSize = 1000;
constexpr size_t kMaxRecordedIssues = 50;
// Draft names are cut to leave room for a "-N" suffix.
constexpr size_t kMaxDraftNameLength = 100;
constexpr std::chrono::days kDraftLifetime{90};

constexpr std::string_view kSources[] = {
    "certs", "tls", "k8s", "aws-credential-report", "oauth-grants", "secrets"};

std::string ScanTarget(std::string_view id) {
  return "scan:" + std::string(id);
}

Status CheckSource(const std::string& source, const std::string& target) {
  bool known = false;
  for (std::string_view s : kSources) known = known || s == source;
  if (!known) {
    return FieldError("source",
                      "must be one of certs, tls, k8s, aws-credential-report, "
                      "oauth-grants, secrets");
  }
  return CheckText("target", target, kMaxTargetLength);
}

bool KindsAgree(const Observation& o, const Identity& identity) {
  const IdentityKind expected = IdentityKindOf(o.kind);
  return identity.kind == expected ||
         (expected == IdentityKind::kServiceAccount &&
          identity.kind == IdentityKind::kWorkload);
}

// The inventory entry an observation is: by external id, else by name
// when the kinds agree.
Result<std::optional<Identity>> Match(Transaction& tx, const Observation& o) {
  Result<Identity> by_id = tx.identities().GetByExternalId(o.key);
  if (by_id.ok()) return std::optional<Identity>(std::move(*by_id));
  if (by_id.status().code() != StatusCode::kNotFound) return by_id.status();
  if (o.name.empty()) return std::optional<Identity>();
  Result<Identity> by_name = tx.identities().GetByName(o.name);
  if (by_name.ok() && KindsAgree(o, *by_name)) {
    return std::optional<Identity>(std::move(*by_name));
  }
  if (!by_name.ok() && by_name.status().code() != StatusCode::kNotFound) {
    return by_name.status();
  }
  return std::optional<Identity>();
}

json::object AttributesJson(const Observation& o) {
  json::object out;
  for (const auto& [name, value] : o.attributes) out[name] = value;
  return out;
}

Observation FromRecord(const ObservationRecord& r) {
  Observation o;
  o.kind = r.kind;
  o.key = r.key;
  o.source = r.source;
  o.name = r.name;
  o.location = r.location;
  boost::system::error_code error;
  json::value attributes = json::parse(r.attributes_json, error);
  if (attributes.is_object()) {
    for (const auto& [name, value] : attributes.get_object()) {
      if (value.is_string()) o.attributes[name] = value.get_string();
    }
  }
  return o;
}

// A valid, unused identity name for a draft of `o`.
Result<std::string> DraftName(Transaction& tx, const Observation& o) {
  std::string base;
  for (char c : o.name.empty() ? o.key : o.name) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) ||
                    std::string_view("._:@/-").find(c) != std::string::npos;
    if (base.empty() && !std::isalnum(static_cast<unsigned char>(c))) continue;
    base += ok ? c : '-';
    if (base.size() >= kMaxDraftNameLength) break;
  }
  if (base.empty()) base = "discovered";
  for (int n = 1; n <= 100; ++n) {
    std::string name = n == 1 ? base : base + "-" + std::to_string(n);
    Result<Identity> taken = tx.identities().GetByName(name);
    if (taken.status().code() == StatusCode::kNotFound) return name;
    WARDEN_RETURN_IF_ERROR(taken.status());
  }
  return FailedPrecondition(
      "no free identity name for a draft of \"" + base + "\"", "name-taken");
}

Status EnsureUnassignedTeam(Transaction& tx, Timestamp now) {
  Result<Team> team = tx.teams().Get(inventory::kUnassignedTeam);
  if (team.ok()) return Status::Ok();
  if (team.status().code() != StatusCode::kNotFound) return team.status();
  Team unassigned;
  unassigned.name = inventory::kUnassignedTeam;
  unassigned.created_at = now;
  unassigned.updated_at = now;
  return tx.teams().Insert(unassigned);
}

}  // namespace

DriftService::DriftService(Store& store, Auditor& auditor)
    : store_(store), auditor_(auditor) {}

Result<ScanRunRecord> DriftService::StartScan(const Caller& caller,
                                              const std::string& source,
                                              const std::string& target) {
  ScanRunRecord scan;
  scan.id = NewId(auditor_.clock().Now());
  AuditedWrite write(store_, auditor_, caller, "scan.start",
                     ScanTarget(scan.id), Permission::kObservationWrite);
  WARDEN_RETURN_IF_ERROR(write.Run([&](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(write.Authorize());
    WARDEN_RETURN_IF_ERROR(CheckSource(source, target));
    scan.source = source;
    scan.target = target;
    scan.started_by = caller.principal.subject;
    scan.started_at = write.now();
    WARDEN_RETURN_IF_ERROR(tx.observations().PutScan(scan));
    return write.Record(tx, {{"source", source}, {"target", target}});
  }));
  return scan;
}

Result<RecordResult> DriftService::Record(
    const Caller& caller, const std::string& scan_id, const std::string& source,
    const std::string& target, const std::vector<Observation>& observations) {
  AuditedWrite write(store_, auditor_, caller, "observation.record",
                     scan_id.empty() ? "observations" : ScanTarget(scan_id),
                     Permission::kObservationWrite);
  RecordResult result;
  WARDEN_RETURN_IF_ERROR(write.Run([&](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(write.Authorize());
    std::optional<ScanRunRecord> scan;
    if (!scan_id.empty()) {
      WARDEN_ASSIGN_OR_RETURN(scan, tx.observations().GetScan(scan_id));
      if (scan->state != "running") {
        return FailedPrecondition("scan " + scan_id + " is complete",
                                  "scan-complete");
      }
    } else {
      WARDEN_RETURN_IF_ERROR(CheckSource(source, target));
    }
    for (const Observation& o : observations) {
      WARDEN_ASSIGN_OR_RETURN(std::optional<Identity> matched, Match(tx, o));
      ObservationRecord r;
      r.id = NewId(write.now());
      r.kind = o.kind;
      r.key = o.key;
      r.source = scan ? scan->source : source;
      r.scan_target = scan ? scan->target : target;
      r.name = o.name;
      r.location = o.location;
      r.attributes_json = json::serialize(AttributesJson(o));
      r.first_seen = write.now();
      r.last_seen = write.now();
      if (matched) {
        r.identity_id = matched->id;
        json::array changes = DriftChanges(o, *matched);
        result.changed += changes.empty() ? 0 : 1;
        r.changes_json = json::serialize(changes);
        ++result.matched;
      } else {
        ++result.unmanaged;
      }
      WARDEN_RETURN_IF_ERROR(tx.observations().Put(r));
      ++result.accepted;
    }
    if (scan) {
      scan->observations += result.accepted;
      WARDEN_RETURN_IF_ERROR(tx.observations().PutScan(*scan));
    }
    return write.Record(tx, {{"accepted", result.accepted},
                             {"matched", result.matched},
                             {"unmanaged", result.unmanaged},
                             {"changed", result.changed}});
  }));
  return result;
}

Result<ScanRunRecord> DriftService::CompleteScan(
    const Caller& caller, const std::string& scan_id,
    const std::vector<ScanIssue>& issues, int64_t issue_count) {
  AuditedWrite write(store_, auditor_, caller, "scan.complete",
                     ScanTarget(scan_id), Permission::kObservationWrite);
  ScanRunRecord scan;
  int64_t gone = 0;
  WARDEN_RETURN_IF_ERROR(write.Run([&](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(write.Authorize());
    WARDEN_ASSIGN_OR_RETURN(scan, tx.observations().GetScan(scan_id));
    if (scan.state != "running") {
      return FailedPrecondition("scan " + scan_id + " is already complete",
                                "scan-complete");
    }
    json::array recorded;
    for (size_t i = 0; i < issues.size() && i < kMaxRecordedIssues; ++i) {
      recorded.push_back(
          {{"location", issues[i].location}, {"message", issues[i].message}});
    }
    WARDEN_ASSIGN_OR_RETURN(
        gone,
        tx.observations().MarkGone(scan.source, scan.target, scan.started_at));
    scan.state = "complete";
    scan.issues =
        std::max<int64_t>(issue_count, static_cast<int64_t>(issues.size()));
    scan.issues_json = json::serialize(recorded);
    scan.finished_at = write.now();
    WARDEN_RETURN_IF_ERROR(tx.observations().PutScan(scan));
    return write.Record(tx, {{"source", scan.source},
                             {"target", scan.target},
                             {"observations", scan.observations},
                             {"issues", scan.issues},
                             {"gone", gone}});
  }));
  return scan;
}

Result<std::vector<ScanRunRecord>> DriftService::ListScans(const Caller& caller,
                                                           int limit) {
  std::vector<ScanRunRecord> scans;
  WARDEN_RETURN_IF_ERROR(auditor_.AuditedRead(
      caller, Permission::kPostureRead, "scan.list", "scans",
      [&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(scans, tx.observations().ListScans(limit));
        return Status::Ok();
      }));
  return scans;
}

Result<Page<ObservationRecord>> DriftService::ListObservations(
    const Caller& caller, const ObservationFilter& filter,
    const PageRequest& page) {
  if (page.limit < 1 || page.limit > kMaxPageSize) {
    return FieldError("limit", "must be between 1 and 1000");
  }
  Page<ObservationRecord> found;
  WARDEN_RETURN_IF_ERROR(auditor_.AuditedRead(
      caller, Permission::kPostureRead, "observation.list", "observations",
      [&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(found, tx.observations().List(filter, page));
        return Status::Ok();
      }));
  return found;
}

Result<DriftPage> DriftService::Drift(const Caller& caller, DriftKind kind,
                                      const PageRequest& page) {
  if (page.limit < 1 || page.limit > kMaxPageSize) {
    return FieldError("limit", "must be between 1 and 1000");
  }
  DriftPage out;
  WARDEN_RETURN_IF_ERROR(auditor_.AuditedRead(
      caller, Permission::kPostureRead, "drift.get", "drift",
      [&](Transaction& tx) -> Status {
        ObservationFilter unmanaged{.state = "present", .unmanaged_only = true};
        unmanaged.kinds = IdentityObservationKinds();
        ObservationFilter changed{.state = "present", .changed_only = true};
        WARDEN_ASSIGN_OR_RETURN(out.summary.unmanaged,
                                tx.observations().Count(unmanaged));
        WARDEN_ASSIGN_OR_RETURN(out.summary.changed,
                                tx.observations().Count(changed));
        WARDEN_ASSIGN_OR_RETURN(out.summary.missing,
                                tx.observations().CountMissing());
        if (kind == DriftKind::kMissing) {
          WARDEN_ASSIGN_OR_RETURN(Page<Identity> missing,
                                  tx.observations().ListMissing(page));
          out.identities = std::move(missing.items);
          out.next_cursor = missing.next_after_id;
          return Status::Ok();
        }
        WARDEN_ASSIGN_OR_RETURN(
            Page<ObservationRecord> seen,
            tx.observations().List(
                kind == DriftKind::kUnmanaged ? unmanaged : changed, page));
        out.observations = std::move(seen.items);
        out.next_cursor = seen.next_after_id;
        return Status::Ok();
      }));
  return out;
}

Result<std::vector<Identity>> DriftService::Import(
    const Caller& caller, const ImportRequest& request) {
  AuditedWrite write(store_, auditor_, caller, "drift.import", "identities",
                     Permission::kObservationWrite);
  std::vector<Identity> drafts;
  WARDEN_RETURN_IF_ERROR(write.Run([&](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(write.Authorize());
    if (request.observations.empty() ||
        request.observations.size() > kMaxImportBatch) {
      return FieldError("observations", "must hold 1 to 500 references");
    }
    const std::string owner =
        request.owner.empty() ? inventory::kUnassignedTeam : request.owner;
    if (request.owner.empty()) {
      WARDEN_RETURN_IF_ERROR(EnsureUnassignedTeam(tx, write.now()));
    } else {
      WARDEN_RETURN_IF_ERROR(tx.teams().Get(owner).status());
    }
    json::array imported;
    for (const ObservationRef& ref : request.observations) {
      WARDEN_ASSIGN_OR_RETURN(ObservationRecord r,
                              tx.observations().Get(ref.kind, ref.key));
      if (!r.identity_id.empty()) {
        return FailedPrecondition("observation " + ref.kind + " " + ref.key +
                                      " already matches identity " +
                                      r.identity_id,
                                  "already-managed");
      }
      const Observation o = FromRecord(r);
      Identity draft;
      draft.id = NewId(write.now());
      WARDEN_ASSIGN_OR_RETURN(draft.name, DraftName(tx, o));
      draft.kind = IdentityKindOf(r.kind);
      draft.owner = owner;
      // Where it was found stands in for the application until the owner
      // says better: the namespace of a Kubernetes object, else the scanner.
      auto ns = o.attributes.find("namespace");
      draft.application = ns != o.attributes.end() && !ns->second.empty()
                              ? ns->second
                              : r.source;
      draft.environment = request.environment;
      draft.external_id = r.key;
      draft.status = IdentityStatus::kDraft;
      draft.status_reason = "imported from " + r.source + " at " + r.location;
      draft.justification = "discovered by " + r.source;
      draft.expires_at = write.now() + kDraftLifetime;
      if (IsSecretBearing(draft.kind)) {
        draft.rotation_days = inventory::kMaxRotationDaysByPolicy;
      }
      draft.created_at = write.now();
      draft.updated_at = write.now();
      const inventory::DerivedRisk risk = inventory::DeriveRiskTier(draft);
      draft.risk_tier = risk.tier;
      draft.risk_reason = risk.reason;
      WARDEN_RETURN_IF_ERROR(tx.identities().Insert(draft));
      r.identity_id = draft.id;
      WARDEN_RETURN_IF_ERROR(tx.observations().Put(r));
      imported.push_back({{"id", draft.id},
                          {"name", draft.name},
                          {"observation", r.kind + "/" + r.key}});
      drafts.push_back(std::move(draft));
    }
    return write.Record(tx, {{"owner", owner}, {"imported", imported}});
  }));
  return drafts;
}

}  // namespace warden::discovery
