#include "releases/release_gates.h"

#include <algorithm>
#include <map>
#include <set>

#include "approvals/approval_engine.h"
#include "releases/exposure_plan.h"
#include "releases/release_notes.h"
#include "releases/risk_policy.h"

namespace warden::releases {
namespace {

constexpr char kNotice[] = "notice";
constexpr char kOptIn[] = "opt_in";

void AddAudience(const StageAudience& audience, eval::ReleaseGate& gate) {
  gate.everyone = gate.everyone || audience.everyone;
  gate.tenants.insert(gate.tenants.end(), audience.tenants.begin(),
                      audience.tenants.end());
  gate.segments.insert(gate.segments.end(), audience.segments.begin(),
                       audience.segments.end());
  gate.percentage = std::max(gate.percentage, audience.percentage);
}

// Every approval of `state` for the release's tenant activations.
Result<std::vector<ApprovalRecord>> Activations(Transaction& tx,
                                                const std::string& release_id,
                                                std::string_view state) {
  std::vector<ApprovalRecord> all;
  ApprovalFilter filter;
  filter.kind = approvals::kKindTenantActivation;
  filter.release_id = release_id;
  filter.state = state;
  PageRequest page;
  page.limit = 500;
  while (true) {
    WARDEN_ASSIGN_OR_RETURN(Page<ApprovalRecord> batch,
                            tx.approvals().List(filter, page));
    for (ApprovalRecord& record : batch.items) all.push_back(std::move(record));
    if (!batch.next_after_id) return all;
    page.after_id = batch.next_after_id;
  }
}

// Tenants with a consent of `kind` for each flag.
Result<std::map<std::string, std::set<std::string>>> ConsentsByFlag(
    Transaction& tx, const std::vector<std::string>& flags,
    std::string_view kind) {
  std::map<std::string, std::set<std::string>> tenants;
  if (flags.empty()) return tenants;
  WARDEN_ASSIGN_OR_RETURN(std::vector<ConsentRecord> consents,
                          tx.consents().ListForFlags(flags));
  for (const ConsentRecord& consent : consents) {
    if (consent.kind == kind) {
      tenants[consent.flag_key].insert(consent.tenant_key);
    }
  }
  return tenants;
}

Status AddClearance(Transaction& tx, const ReleaseRecord& release,
                    const ReleaseNotes& notes, eval::ReleaseGate& gate) {
  for (const std::string& flag : gate.flag_keys) {
    if (!notes.SafeForAll(flag)) gate.cleared_flags.push_back(flag);
  }
  if (gate.cleared_flags.empty()) return Status::Ok();
  WARDEN_ASSIGN_OR_RETURN(
      std::vector<ApprovalRecord> approved,
      Activations(tx, release.id, approvals::kStateApproved));
  WARDEN_ASSIGN_OR_RETURN(auto notices,
                          ConsentsByFlag(tx, gate.cleared_flags, kNotice));
  for (const ApprovalRecord& approval : approved) {
    const bool noticed =
        std::all_of(gate.cleared_flags.begin(), gate.cleared_flags.end(),
                    [&](const std::string& flag) {
                      return notices[flag].count(approval.tenant_key) > 0;
                    });
    if (noticed) gate.cleared_tenants.push_back(approval.tenant_key);
  }
  WARDEN_ASSIGN_OR_RETURN(
      std::vector<ApprovalRecord> pending,
      Activations(tx, release.id, approvals::kStatePending));
  for (const ApprovalRecord& approval : pending) {
    gate.pending_approvals.emplace_back(approval.tenant_key, approval.id);
  }
  return Status::Ok();
}

Status AddOptIns(Transaction& tx, const ReleaseNotes& notes,
                 eval::ReleaseGate& gate) {
  std::vector<std::string> flags;
  for (const std::string& flag : gate.flag_keys) {
    if (notes.NeedsOptIn(flag)) flags.push_back(flag);
  }
  WARDEN_ASSIGN_OR_RETURN(auto opted_in, ConsentsByFlag(tx, flags, kOptIn));
  for (const std::string& flag : flags) {
    const std::set<std::string>& tenants = opted_in[flag];
    gate.opt_ins.emplace_back(
        flag, std::vector<std::string>(tenants.begin(), tenants.end()));
  }
  return Status::Ok();
}

// A gate that holds nothing back need not ship.
bool HoldsNothing(const eval::ReleaseGate& gate) {
  return gate.everyone && gate.cleared_flags.empty() && gate.opt_ins.empty();
}

}  // namespace

Result<eval::ReleaseGate> GateOf(Transaction& tx, const ReleaseRecord& release,
                                 std::vector<std::string> flags) {
  eval::ReleaseGate gate;
  gate.release_id = release.id;
  gate.flag_keys = std::move(flags);
  // Fail closed: a stored plan that no longer parses (written by a newer
  // version, or damaged) holds the flags off rather than failing every
  // publish of the environment.
  Result<ExposurePlan> plan = PlanFromText(release.plan_json);
  if (release.state == "rolled_back" || !plan.ok()) {
    gate.stage = plan.ok() ? "rolled_back" : "unreadable-plan";
    return gate;  // no audience: off for everyone
  }
  Result<ReleaseNotes> stored_notes = NotesFromText(release.notes_json);
  const ReleaseNotes notes =
      stored_notes.ok() ? *std::move(stored_notes) : ReleaseNotes{};
  gate.stage = StageName(*plan, release.stage);
  const size_t entered =
      std::min(static_cast<size_t>(std::max<int64_t>(release.stage, 0)),
               plan->stages.size());
  for (size_t i = 0; i < entered; ++i) {
    AddAudience(plan->stages[i].audience, gate);
  }
  if (NeedsTenantClearance(release.risk_tier)) {
    WARDEN_RETURN_IF_ERROR(AddClearance(tx, release, notes, gate));
  }
  WARDEN_RETURN_IF_ERROR(AddOptIns(tx, notes, gate));
  return gate;
}

Result<std::vector<eval::ReleaseGate>> LoadReleaseGates(Transaction& tx,
                                                        Environment env) {
  WARDEN_ASSIGN_OR_RETURN(auto governing, tx.releases().GoverningReleases(env));
  std::map<std::string, std::vector<std::string>> flags_by_release;
  for (auto& [flag, release_id] : governing) {
    flags_by_release[release_id].push_back(flag);
  }
  std::vector<eval::ReleaseGate> gates;
  for (auto& [release_id, flags] : flags_by_release) {
    WARDEN_ASSIGN_OR_RETURN(ReleaseRecord release,
                            tx.releases().Get(release_id));
    WARDEN_ASSIGN_OR_RETURN(eval::ReleaseGate gate,
                            GateOf(tx, release, std::move(flags)));
    if (!HoldsNothing(gate)) gates.push_back(std::move(gate));
  }
  return gates;
}

}  // namespace warden::releases
