#include "posture/finding_sweep.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <set>
#include <vector>

#include "core/id.h"
#include "discovery/observation.h"
#include "posture/finding_catalog.h"
#include "posture/finding_reconciler.h"
#include "posture/identity_facts.h"
#include "posture/identity_findings.h"
#include "posture/observation_findings.h"
#include "service/system_caller.h"

namespace warden::posture {
namespace {

namespace json = boost::json;

constexpr int kIdentityPage = 500;      // identities per read and write unit
constexpr int kObservationPage = 1000;  // observations per unit
constexpr int kApprovalPage = 500;
// Warden-issued certificates read per sweep; beyond it the oldest are not
// checked for expiry (a CA this busy issues short-lived certificates).
constexpr int kMaxCertificates = 100000;
constexpr char kObservationKeyPrefix[] = "observation/";

// The upper bound of the subject keys of the identities up to `id`: its
// own key and every "<id>/<kind>/<key>" of what it holds.
std::string RangeBound(const std::string& id) {
  return id.empty() ? std::string() : id + "/\x7f";
}

// What the sweep reads once: the small tables every identity refers to.
struct SweepContext {
  PosturePolicy policy;
  std::map<std::string, bool> team_has_members;
  std::set<std::string> users;
  std::map<std::string, std::vector<PolicyException>> exceptions;  // by name
  std::map<std::string, std::vector<SecretFact>> secrets;  // by identity
  std::map<std::string, std::vector<CertificateRecord>> certificates;
  std::set<std::string> approved;        // identities with an approval
  std::set<std::string> change_records;  // with an approved identity_change
};

Status LoadApprovals(Transaction& tx, SweepContext& context) {
  ApprovalFilter filter;
  filter.state = "approved";
  PageRequest page{std::nullopt, kApprovalPage};
  for (;;) {
    WARDEN_ASSIGN_OR_RETURN(Page<ApprovalRecord> approvals,
                            tx.approvals().List(filter, page));
    for (const ApprovalRecord& a : approvals.items) {
      if (a.identity_id.empty()) continue;
      context.approved.insert(a.identity_id);
      if (a.kind == "identity_change")
        context.change_records.insert(a.identity_id);
    }
    if (!approvals.next_after_id) return Status::Ok();
    page.after_id = approvals.next_after_id;
  }
}

Status LoadSecrets(Transaction& tx, SweepContext& context) {
  WARDEN_ASSIGN_OR_RETURN(std::vector<SecretRecord> secrets,
                          tx.secrets().List());
  WARDEN_ASSIGN_OR_RETURN(std::vector<SecretVersionRecord> versions,
                          tx.secrets().ListAllVersions());
  std::map<std::string, std::pair<int64_t, Timestamp>> by_secret;
  std::map<std::string, int64_t> current;
  for (const SecretRecord& s : secrets) current[s.id] = s.current_version;
  for (const SecretVersionRecord& v : versions) {
    auto& [count, since] = by_secret[v.secret_id];
    ++count;
    if (v.version == current[v.secret_id]) since = v.created_at;
  }
  for (const SecretRecord& s : secrets) {
    if (s.identity_id.empty()) continue;
    const auto& [count, since] = by_secret[s.id];
    context.secrets[s.identity_id].push_back({s.name, count, since});
  }
  return Status::Ok();
}

Result<SweepContext> LoadContext(Transaction& tx) {
  SweepContext context;
  WARDEN_ASSIGN_OR_RETURN(context.policy, LoadPolicy(tx));
  WARDEN_ASSIGN_OR_RETURN(std::vector<Team> teams, tx.teams().List());
  for (const Team& team : teams) {
    context.team_has_members[team.name] = !team.members.empty();
  }
  WARDEN_ASSIGN_OR_RETURN(std::vector<User> users, tx.users().List());
  for (const User& user : users) context.users.insert(user.name);
  WARDEN_ASSIGN_OR_RETURN(std::vector<PolicyException> exceptions,
                          tx.exceptions().List(""));
  for (PolicyException& e : exceptions) {
    context.exceptions[e.identity_name].push_back(std::move(e));
  }
  WARDEN_RETURN_IF_ERROR(LoadSecrets(tx, context));
  WARDEN_ASSIGN_OR_RETURN(std::vector<CertificateRecord> certificates,
                          tx.certificates().List("", kMaxCertificates));
  for (CertificateRecord& c : certificates) {
    context.certificates[c.identity_id].push_back(std::move(c));
  }
  WARDEN_RETURN_IF_ERROR(LoadApprovals(tx, context));
  return context;
}

// Rows of several identities ordered by identity id, handed out per id.
template <typename Row>
class RowsById {
 public:
  explicit RowsById(std::vector<Row> rows) : rows_(std::move(rows)) {}
  std::vector<Row> Take(const std::string& id) {
    std::vector<Row> out;
    while (next_ < rows_.size() && rows_[next_].identity_id < id) ++next_;
    while (next_ < rows_.size() && rows_[next_].identity_id == id) {
      out.push_back(std::move(rows_[next_++]));
    }
    return out;
  }

 private:
  std::vector<Row> rows_;
  size_t next_ = 0;
};

template <typename T>
const T* Lookup(const std::map<std::string, T>& map, const std::string& key) {
  auto found = map.find(key);
  return found == map.end() ? nullptr : &found->second;
}

// One page of identities with everything the rules need.
struct IdentityPage {
  std::vector<IdentityFacts> facts;
  std::string after;  // exclusive lower bound of the page's ids
  std::string last;
  bool more = false;
};

Result<IdentityPage> ReadIdentityPage(Transaction& tx,
                                      const SweepContext& context,
                                      const std::string& after) {
  IdentityPage page;
  page.after = after;
  PageRequest request{
      after.empty() ? std::nullopt : std::optional<std::string>(after),
      kIdentityPage};
  WARDEN_ASSIGN_OR_RETURN(Page<Identity> identities,
                          tx.identities().List({}, request));
  if (identities.items.empty()) return page;
  page.last = identities.items.back().id;
  page.more = identities.next_after_id.has_value();
  WARDEN_ASSIGN_OR_RETURN(auto scopes,
                          tx.oauth().ListScopesUsedBetween(after, page.last));
  WARDEN_ASSIGN_OR_RETURN(
      auto credentials,
      tx.oauth().ListClientCredentialsBetween(after, page.last));
  WARDEN_ASSIGN_OR_RETURN(auto sightings,
                          tx.usage().ListSightingsBetween(after, page.last));
  WARDEN_ASSIGN_OR_RETURN(auto kept,
                          tx.reviews().ListKeptBetween(after, page.last));
  RowsById scope_rows(std::move(scopes));
  RowsById credential_rows(std::move(credentials));
  RowsById sighting_rows(std::move(sightings));
  RowsById kept_rows(std::move(kept));
  for (Identity& identity : identities.items) {
    IdentityFacts facts;
    const std::string& id = identity.id;
    const bool* members = Lookup(context.team_has_members, identity.owner);
    facts.owner_has_members = members != nullptr && *members;
    if (auto* e = Lookup(context.exceptions, identity.name))
      facts.exceptions = *e;
    facts.has_approval = context.approved.count(id) > 0;
    facts.has_change_record = context.change_records.count(id) > 0;
    facts.has_review_keep = !kept_rows.Take(id).empty();
    facts.sponsor_is_user = context.users.count(identity.sponsor) > 0;
    facts.scopes_used = scope_rows.Take(id);
    facts.sightings = sighting_rows.Take(id);
    std::vector<ClientCredentialRecord> credential = credential_rows.Take(id);
    if (!credential.empty()) facts.client_credential = std::move(credential[0]);
    if (auto* s = Lookup(context.secrets, id)) facts.secrets = *s;
    if (auto* c = Lookup(context.certificates, id)) facts.certificates = *c;
    facts.identity = std::move(identity);
    page.facts.push_back(std::move(facts));
  }
  return page;
}

bool IsOffboarded(IdentityStatus status) {
  return status == IdentityStatus::kRevoked ||
         status == IdentityStatus::kExpired;
}

void CountMaturity(const IdentityFacts& facts, const PosturePolicy& policy,
                   Timestamp now, SweepReport& report) {
  if (IsOffboarded(facts.identity.status)) return;
  const bool justified = IsJustified(facts, now);
  const bool revocable = IsRevocable(facts, policy);
  for (MaturityCounts* counts :
       {&report.maturity, &report.maturity_by_team[facts.identity.owner]}) {
    counts->identities += 1;
    counts->justified += justified ? 1 : 0;
    counts->revocable += revocable ? 1 : 0;
  }
}

void AddChanges(const FindingChanges& changes, SweepReport& report) {
  report.opened += changes.opened;
  report.reopened += changes.reopened;
  report.resolved += changes.resolved;
  report.changed += changes.changed;
}

bool IsEmpty(const FindingChanges& changes) {
  return changes.inserts.empty() && changes.updates.empty();
}

}  // namespace

Result<PosturePolicy> LoadPolicy(Transaction& tx) {
  WARDEN_ASSIGN_OR_RETURN(std::optional<std::string> stored,
                          tx.settings().Get(kPosturePolicySetting));
  if (!stored) return DefaultPolicy();
  boost::system::error_code error;
  json::value parsed = json::parse(*stored, error);
  if (error) return Internal("stored posture policy is not JSON");
  return PolicyFromJson(parsed);
}

FindingSweep::FindingSweep(Store& store, Auditor& auditor,
                           inventory::InventoryService& inventory)
    : store_(store), auditor_(auditor), inventory_(inventory) {}

namespace {

// One run of the sweep: the context, the clock reading and the report.
class SweepPass {
 public:
  SweepPass(Store& store, Auditor& auditor, SweepContext context, Timestamp now)
      : store_(store),
        auditor_(auditor),
        context_(std::move(context)),
        now_(now) {}

  Status SweepIdentities(std::vector<std::string>& lapsed) {
    std::string after;
    for (;;) {
      std::optional<IdentityPage> page;
      WARDEN_RETURN_IF_ERROR(store_.Read([&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(page, ReadIdentityPage(tx, context_, after));
        return Status::Ok();
      }));
      if (page->facts.empty()) return Status::Ok();
      std::vector<Finding> fresh;
      for (const IdentityFacts& facts : page->facts) {
        std::vector<Finding> found =
            EvaluateIdentity(facts, context_.policy, now_);
        NoteLapsed(facts, found, lapsed);
        std::move(found.begin(), found.end(), std::back_inserter(fresh));
        CountMaturity(facts, context_.policy, now_, report_);
      }
      report_.identities += static_cast<int64_t>(page->facts.size());
      WARDEN_RETURN_IF_ERROR(StoreFindings(
          fresh, RangeBound(after), RangeBound(page->last),
          [](std::string_view rule) { return rule != kReviewOverdue; }));
      if (!page->more) return Status::Ok();
      after = page->last;
    }
  }

  Status SweepObservations() {
    std::optional<std::string> cursor;
    std::string lower = kObservationKeyPrefix;
    for (;;) {
      std::vector<Finding> fresh;
      std::optional<std::string> next;
      std::string upper;
      WARDEN_RETURN_IF_ERROR(store_.Read([&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(
            Page<ObservationRecord> page,
            tx.observations().List({}, {cursor, kObservationPage}));
        next = page.next_after_id;
        if (!page.items.empty()) {
          upper = ObservationSubjectKey(page.items.back());
        }
        return EvaluatePage(tx, page.items, fresh);
      }));
      if (!next) upper = std::string(kObservationKeyPrefix) + "\x7f";
      if (!upper.empty()) {
        WARDEN_RETURN_IF_ERROR(StoreFindings(
            fresh, lower, upper, [](std::string_view) { return true; }));
      }
      if (!next) return Status::Ok();
      cursor = next;
      lower = upper;
    }
  }

  Status Snapshot() {
    return store_.Write([&](Transaction& tx) -> Status {
      WARDEN_RETURN_IF_ERROR(
          tx.maturity().Insert(SnapshotOf("", report_.maturity)));
      for (const auto& [team, counts] : report_.maturity_by_team) {
        WARDEN_RETURN_IF_ERROR(
            tx.maturity().Insert(SnapshotOf("team:" + team, counts)));
      }
      return auditor_.RecordInTransaction(
          tx, SystemCaller(), "posture.sweep", "findings",
          {{"identities", report_.identities},
           {"observations", report_.observations},
           {"opened", report_.opened},
           {"reopened", report_.reopened},
           {"resolved", report_.resolved},
           {"changed", report_.changed}});
    });
  }

  SweepReport& report() { return report_; }

 private:
  void NoteLapsed(const IdentityFacts& facts, const std::vector<Finding>& found,
                  std::vector<std::string>& lapsed) const {
    if (!context_.policy.suspend_on_lapsed_exception ||
        facts.identity.status != IdentityStatus::kActive) {
      return;
    }
    for (const Finding& f : found) {
      if (f.rule == kExceptionExpired) lapsed.push_back(facts.identity.id);
    }
  }

  Status EvaluatePage(Transaction& tx,
                      const std::vector<ObservationRecord>& observations,
                      std::vector<Finding>& fresh) {
    for (const ObservationRecord& o : observations) {
      std::optional<Identity> matched;
      if (!o.identity_id.empty()) {
        Result<Identity> identity = tx.identities().Get(o.identity_id);
        if (identity.ok()) matched = std::move(*identity);
      }
      CountObservation(o, matched);
      std::vector<Finding> found = EvaluateObservation(
          o, matched ? matched->owner : std::string(), context_.policy, now_);
      std::move(found.begin(), found.end(), std::back_inserter(fresh));
    }
    report_.observations += static_cast<int64_t>(observations.size());
    return Status::Ok();
  }

  void CountObservation(const ObservationRecord& o,
                        const std::optional<Identity>& matched) {
    if (o.state != "present" || !discovery::IsIdentityObservation(o.kind))
      return;
    const bool inventoried =
        matched && matched->status != IdentityStatus::kDraft;
    report_.maturity.observed += 1;
    report_.maturity.inventoried += inventoried ? 1 : 0;
    if (!matched) return;
    MaturityCounts& team = report_.maturity_by_team[matched->owner];
    team.observed += 1;
    team.inventoried += inventoried ? 1 : 0;
  }

  // Reconciles `fresh` with the stored findings of (lower, upper]: first
  // against a read (most pages change nothing, and then nothing is
  // written), then again inside the write unit that applies the changes.
  Status StoreFindings(const std::vector<Finding>& fresh,
                       const std::string& lower, const std::string& upper,
                       const std::function<bool(std::string_view)>& managed) {
    auto reconcile = [&](Transaction& tx) -> Result<FindingChanges> {
      WARDEN_ASSIGN_OR_RETURN(std::vector<FindingRecord> stored,
                              tx.findings().ListBySubjectBetween(lower, upper));
      return Reconcile(
          fresh, stored, managed, [this] { return NewId(now_); }, now_);
    };
    bool changed = false;
    WARDEN_RETURN_IF_ERROR(store_.Read([&](Transaction& tx) -> Status {
      WARDEN_ASSIGN_OR_RETURN(FindingChanges changes, reconcile(tx));
      changed = !IsEmpty(changes);
      return Status::Ok();
    }));
    if (!changed) return Status::Ok();
    return store_.Write([&](Transaction& tx) -> Status {
      WARDEN_ASSIGN_OR_RETURN(FindingChanges changes, reconcile(tx));
      for (const FindingRecord& r : changes.inserts) {
        WARDEN_RETURN_IF_ERROR(tx.findings().Insert(r));
      }
      for (const FindingRecord& r : changes.updates) {
        WARDEN_RETURN_IF_ERROR(tx.findings().Update(r));
      }
      AddChanges(changes, report_);
      return auditor_.RecordInTransaction(tx, SystemCaller(), "finding.sweep",
                                          "findings",
                                          {{"subjects_after", lower},
                                           {"subjects_through", upper},
                                           {"opened", changes.opened},
                                           {"reopened", changes.reopened},
                                           {"resolved", changes.resolved},
                                           {"changed", changes.changed}});
    });
  }

  MaturitySnapshotRecord SnapshotOf(std::string scope,
                                    const MaturityCounts& counts) const {
    MaturitySnapshotRecord s;
    s.taken_at = now_;
    s.scope = std::move(scope);
    s.identities = counts.identities;
    s.justified = counts.justified;
    s.revocable = counts.revocable;
    s.observed = counts.observed;
    s.inventoried = counts.inventoried;
    return s;
  }

  Store& store_;
  Auditor& auditor_;
  const SweepContext context_;
  const Timestamp now_;
  SweepReport report_;
};

}  // namespace

Result<SweepReport> FindingSweep::Run() {
  MutexLock lock(run_mu_);
  return RunLocked();
}

Status FindingSweep::RunIfStale() {
  MutexLock lock(run_mu_);
  const auto freshness =
      std::max<std::chrono::microseconds>(kMinFreshness, 10 * last_duration_);
  if (last_finished_ && auditor_.clock().Now() - *last_finished_ < freshness) {
    return Status::Ok();
  }
  return RunLocked().status();
}

Result<SweepReport> FindingSweep::RunLocked() {
  const Timestamp started = auditor_.clock().Now();
  std::optional<SweepContext> context;
  WARDEN_RETURN_IF_ERROR(store_.Read([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(context, LoadContext(tx));
    return Status::Ok();
  }));
  SweepPass pass(store_, auditor_, std::move(*context), auditor_.clock().Now());
  std::vector<std::string> lapsed;
  WARDEN_RETURN_IF_ERROR(pass.SweepIdentities(lapsed).WithContext(
      "posture sweep over identities"));
  WARDEN_RETURN_IF_ERROR(
      pass.SweepObservations().WithContext("posture sweep over observations"));
  for (const std::string& id : lapsed) {
    Result<Identity> suspended = inventory_.Transition(
        SystemCaller(), id, inventory::LifecycleAction::kSuspend,
        "a policy exception it needs has lapsed");
    if (suspended.ok()) ++pass.report().suspended;
  }
  WARDEN_RETURN_IF_ERROR(pass.Snapshot().WithContext("maturity snapshot"));
  pass.report().finished_at = auditor_.clock().Now();
  last_finished_ = pass.report().finished_at;
  last_duration_ = pass.report().finished_at - started;
  return pass.report();
}

}  // namespace warden::posture
