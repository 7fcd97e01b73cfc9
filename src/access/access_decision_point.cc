#include "access/access_decision_point.h"

#include <algorithm>
#include <charconv>

#include "access/policy_versions.h"
#include "authz/workload_authorizer.h"
#include "policy/decision_explanation.h"
#include "policy/policy_compiler.h"
#include "service/would_block.h"

namespace warden::access {
namespace {

constexpr std::string_view kEvaluateAction = "access.evaluate";
// Candidates one search page evaluates at most: a page of a sparse search
// over a large policy may come back short (with a next_token) rather than
// hold a worker for every entity.
constexpr size_t kMaxSearchCandidatesPerPage = 10'000;
constexpr std::string_view kSearchAction = "access.search";

std::string Target(const ActivePolicy& active) {
  return std::string(Name(active.environment)) + " v" +
         std::to_string(active.version);
}

boost::json::object PolicyRef(const ActivePolicy& active) {
  return {{"environment", Name(active.environment)},
          {"version", active.version}};
}

boost::json::object NoPolicyReason(const ActivePolicy& active) {
  return {
      {"id", "no-policy"},
      {"reason_admin",
       {{"en", "denied by default: " + std::string(Name(active.environment)) +
                   " has no access policy"}}},
      {"basis", "default-deny"},
      {"policy", PolicyRef(active)}};
}

std::string_view SearchKindName(policy::SearchKind kind) {
  switch (kind) {
    case policy::SearchKind::kSubject:
      return "subject";
    case policy::SearchKind::kResource:
      return "resource";
    case policy::SearchKind::kAction:
      break;
  }
  return "action";
}

// "v<version>:<next index>".
std::string PageToken(int64_t version, size_t next) {
  return "v" + std::to_string(version) + ":" + std::to_string(next);
}

Result<size_t> PageStart(std::string_view token, int64_t version) {
  if (token.empty()) return size_t{0};
  const std::string prefix = "v" + std::to_string(version) + ":";
  size_t start = 0;
  if (token.starts_with(prefix)) {
    std::string_view rest = token.substr(prefix.size());
    auto [end, error] =
        std::from_chars(rest.data(), rest.data() + rest.size(), start);
    if (error == std::errc() && end == rest.data() + rest.size()) return start;
  }
  return InvalidArgument(
      "page.token is not a token of the active policy (version " +
          std::to_string(version) + "): start the search again",
      "stale-page-token");
}

// A workload needs its scope; an API token the role table's grant, unless
// it is bound to a tenant: such a token is a customer-side credential, and
// decisions and searches would show it other tenants' subjects and policy.
AuthzDecision DecisionFor(const Principal& principal) {
  if (principal.workload) {
    return AuthorizeWorkloadScope(principal, kAccessEvaluateScope);
  }
  if (!principal.tenant.empty()) {
    return {false, "a token bound to tenant " + principal.tenant +
                       " asks no access decisions"};
  }
  return warden::Authorize(principal, Permission::kAccessEvaluate);
}

}  // namespace

AccessDecisionPoint::AccessDecisionPoint(Store& store, Auditor& auditor,
                                         AuditSummaryRecorder& summaries,
                                         FactGatherer& facts)
    : store_(store), auditor_(auditor), summaries_(summaries), facts_(facts) {
  for (Environment env : exposure::kAllEnvironments) {
    auto none = std::make_shared<ActivePolicy>();
    none->environment = env;
    active_[static_cast<size_t>(env)].store(std::move(none));
  }
}

Status AccessDecisionPoint::LoadAll() {
  for (Environment env : exposure::kAllEnvironments) {
    WARDEN_RETURN_IF_ERROR(Reload(env));
  }
  return Status::Ok();
}

Status AccessDecisionPoint::Reload(Environment env) {
  auto next = std::make_shared<ActivePolicy>();
  next->environment = env;
  std::string document;
  WARDEN_RETURN_IF_ERROR(store_.Read([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(PolicyHead head, ReadHead(tx, env));
    if (head.active == 0) return Status::Ok();
    WARDEN_ASSIGN_OR_RETURN(PolicyVersion version,
                            ReadVersion(tx, env, head.active));
    next->version = version.version;
    document = std::move(version.document);
    return Status::Ok();
  }));
  if (next->version > 0) {
    Result<std::shared_ptr<const policy::PolicySet>> compiled =
        policy::CompilePolicyText(document);
    // Stored versions were validated when proposed; one that no longer
    // compiles (a downgrade) keeps the previous snapshot serving.
    if (!compiled.ok()) {
      return compiled.status().WithContext("active access policy of " +
                                           std::string(Name(env)));
    }
    next->policy = std::move(*compiled);
  }
  active_[static_cast<size_t>(env)].store(std::move(next));
  return Status::Ok();
}

std::shared_ptr<const ActivePolicy> AccessDecisionPoint::Active(
    Environment env) const {
  return active_[static_cast<size_t>(env)].load();
}

Status AccessDecisionPoint::Authorize(const Caller& caller,
                                      std::string_view action, bool may_block) {
  const bool workload = caller.principal.workload.has_value();
  const AuthzDecision decision = DecisionFor(caller.principal);
  if (decision.allowed) return Status::Ok();
  if (!may_block) return WouldBlock();  // the refusal is audited: a write
  boost::json::object details;
  if (!workload) details["permission"] = Name(Permission::kAccessEvaluate);
  return auditor_.Deny(caller, action, "access", decision, std::move(details));
}

Result<AccessDecisionPoint::Prepared> AccessDecisionPoint::Prepare(
    const Caller& caller, std::string_view action, bool may_block) {
  WARDEN_RETURN_IF_ERROR(Authorize(caller, action, may_block));
  WARDEN_ASSIGN_OR_RETURN(Environment env,
                          facts_.EnvironmentOf(caller, may_block));
  WARDEN_ASSIGN_OR_RETURN(CallFacts call,
                          facts_.BeginCall(caller, env, may_block));
  return Prepared{Active(env), std::move(call), may_block};
}

void AccessDecisionPoint::Count(const Caller& caller, std::string_view action,
                                const Prepared& prepared,
                                std::string_view outcome,
                                std::string_view reason) {
  summaries_.Note(caller, action, Target(*prepared.active), outcome, reason);
}

Result<AccessDecisionPoint::Decided> AccessDecisionPoint::Decide(
    const Prepared& prepared, const policy::AccessRequest& request,
    bool with_reasons) {
  Decided decided;
  const ActivePolicy& active = *prepared.active;
  if (active.policy == nullptr) {
    decided.reason = "no-policy";
    if (with_reasons) decided.answer.context = NoPolicyReason(active);
    return decided;
  }
  WARDEN_ASSIGN_OR_RETURN(
      std::unique_ptr<RequestFacts> facts,
      facts_.Gather(prepared.call, request, prepared.may_block));
  const policy::Decision decision = active.policy->Decide(request, *facts);
  decided.answer.allowed = decision.allowed;
  decided.reason = policy::ReasonId(*active.policy, decision);
  if (!with_reasons) return decided;
  decided.answer.context =
      policy::ExplainDecision(*active.policy, request, *facts, decision);
  decided.answer.context["policy"] = PolicyRef(active);
  return decided;
}

Result<AccessAnswer> AccessDecisionPoint::Evaluate(
    const Caller& caller, const policy::AccessRequest& request,
    bool may_block) {
  WARDEN_ASSIGN_OR_RETURN(Prepared prepared,
                          Prepare(caller, kEvaluateAction, may_block));
  WARDEN_ASSIGN_OR_RETURN(Decided decided, Decide(prepared, request, true));
  Count(caller, kEvaluateAction, prepared,
        decided.answer.allowed ? "allow" : "deny", decided.reason);
  return std::move(decided.answer);
}

// Every item is decided before any is counted: a call that must move to a
// worker halfway (an uncached fact) counts nothing twice.
Result<std::vector<AccessAnswer>> AccessDecisionPoint::Evaluations(
    const Caller& caller, const policy::EvaluationsRequest& request,
    bool with_reasons, bool may_block) {
  WARDEN_ASSIGN_OR_RETURN(Prepared prepared,
                          Prepare(caller, kEvaluateAction, may_block));
  std::vector<Decided> decided;
  decided.reserve(request.items.size());
  for (const policy::BatchItem& item : request.items) {
    if (!item.error.ok()) {
      Decided refused;
      refused.answer.context = {
          {"error", {{"status", 400}, {"message", item.error.message()}}}};
      decided.push_back(std::move(refused));
    } else {
      WARDEN_ASSIGN_OR_RETURN(
          Decided one,
          Decide(prepared, item.request, with_reasons || request.single));
      decided.push_back(std::move(one));
    }
    if (policy::StopsAfter(request.semantic, decided.back().answer.allowed)) {
      break;
    }
  }
  std::vector<AccessAnswer> answers;
  answers.reserve(decided.size());
  for (Decided& one : decided) {
    const char* outcome = one.reason.empty()   ? "invalid_argument"
                          : one.answer.allowed ? "allow"
                                               : "deny";
    Count(caller, kEvaluateAction, prepared, outcome, one.reason);
    answers.push_back(std::move(one.answer));
  }
  return answers;
}

Result<SearchPage> AccessDecisionPoint::Search(
    const Caller& caller, const policy::SearchRequest& search, bool may_block) {
  WARDEN_ASSIGN_OR_RETURN(Prepared prepared,
                          Prepare(caller, kSearchAction, may_block));
  const ActivePolicy& active = *prepared.active;
  WARDEN_ASSIGN_OR_RETURN(size_t start,
                          PageStart(search.page_token, active.version));
  SearchPage page;
  if (active.policy == nullptr) {
    Count(caller, kSearchAction, prepared, "allow",
          SearchKindName(search.kind));
    return page;
  }
  const policy::PolicySet& policy = *active.policy;
  std::vector<const policy::PolicyEntity*> entities;
  if (search.kind == policy::SearchKind::kSubject) {
    entities = policy.EntitiesOfType(search.request.subject.type);
  } else if (search.kind == policy::SearchKind::kResource) {
    entities = policy.EntitiesOfType(search.request.resource.type);
  }
  const size_t candidates = search.kind == policy::SearchKind::kAction
                                ? policy.actions().size()
                                : entities.size();
  const size_t stop = std::min(candidates, start + kMaxSearchCandidatesPerPage);
  size_t index = start;
  for (;
       index < stop && static_cast<int64_t>(page.results.size()) < search.limit;
       ++index) {
    policy::AccessRequest request = search.request;
    boost::json::object result;
    if (search.kind == policy::SearchKind::kAction) {
      request.action = policy.actions()[index];
      result = {{"name", request.action}};
    } else {
      policy::EntityRef& searched = search.kind == policy::SearchKind::kSubject
                                        ? request.subject
                                        : request.resource;
      searched.id = entities[index]->id;
      result = {{"type", searched.type}, {"id", searched.id}};
    }
    WARDEN_ASSIGN_OR_RETURN(
        std::unique_ptr<RequestFacts> facts,
        facts_.Gather(prepared.call, request, prepared.may_block));
    if (policy.Decide(request, *facts).allowed) {
      page.results.push_back(std::move(result));
    }
  }
  if (index < candidates) page.next_token = PageToken(active.version, index);
  Count(caller, kSearchAction, prepared, "allow", SearchKindName(search.kind));
  return page;
}

void AccessDecisionPoint::NoteInvalid(const Caller& caller,
                                      std::string_view action) {
  summaries_.Note(caller, action, "access", "invalid_argument");
}

}  // namespace warden::access
