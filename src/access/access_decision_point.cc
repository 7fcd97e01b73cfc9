#include "access/access_decision_point.h"

#include <algorithm>
#include <charconv>

#include "access/policy_versions.h"
#include "authz/workload_authorizer.h"
#include "policy/decision_explanation.h"
#include "policy/policy_compiler.h"

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
                                      std::string_view action) {
  if (caller.principal.workload) {
    AuthzDecision decision =
        AuthorizeWorkloadScope(caller.principal, kAccessEvaluateScope);
    if (decision.allowed) return Status::Ok();
    return auditor_.Deny(caller, action, "access", decision);
  }
  return auditor_.Authorize(caller, Permission::kAccessEvaluate, action,
                            "access");
}

Result<AccessDecisionPoint::Prepared> AccessDecisionPoint::Prepare(
    const Caller& caller, std::string_view action) {
  WARDEN_RETURN_IF_ERROR(Authorize(caller, action));
  WARDEN_ASSIGN_OR_RETURN(Environment env, facts_.EnvironmentOf(caller));
  WARDEN_ASSIGN_OR_RETURN(CallFacts call, facts_.BeginCall(caller, env));
  return Prepared{Active(env), std::move(call)};
}

void AccessDecisionPoint::Count(const Caller& caller, std::string_view action,
                                const Prepared& prepared, bool allowed,
                                std::string_view reason) {
  summaries_.Note(caller, action, Target(*prepared.active),
                  allowed ? "allow" : "deny", reason);
}

Result<AccessAnswer> AccessDecisionPoint::Decide(
    const Caller& caller, const Prepared& prepared,
    const policy::AccessRequest& request, bool with_reasons) {
  AccessAnswer answer;
  const ActivePolicy& active = *prepared.active;
  if (active.policy == nullptr) {
    Count(caller, kEvaluateAction, prepared, false, "no-policy");
    if (with_reasons) answer.context = NoPolicyReason(active);
    return answer;
  }
  WARDEN_ASSIGN_OR_RETURN(std::unique_ptr<RequestFacts> facts,
                          facts_.Gather(prepared.call, request));
  const policy::Decision decision = active.policy->Decide(request, *facts);
  answer.allowed = decision.allowed;
  Count(caller, kEvaluateAction, prepared, answer.allowed,
        policy::ReasonId(*active.policy, decision));
  if (!with_reasons) return answer;
  answer.context =
      policy::ExplainDecision(*active.policy, request, *facts, decision);
  answer.context["policy"] = PolicyRef(active);
  return answer;
}

Result<AccessAnswer> AccessDecisionPoint::Evaluate(
    const Caller& caller, const policy::AccessRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(Prepared prepared, Prepare(caller, kEvaluateAction));
  return Decide(caller, prepared, request, true);
}

Result<std::vector<AccessAnswer>> AccessDecisionPoint::Evaluations(
    const Caller& caller, const policy::EvaluationsRequest& request,
    bool with_reasons) {
  WARDEN_ASSIGN_OR_RETURN(Prepared prepared, Prepare(caller, kEvaluateAction));
  std::vector<AccessAnswer> answers;
  answers.reserve(request.items.size());
  for (const policy::BatchItem& item : request.items) {
    if (!item.error.ok()) {
      AccessAnswer refused;
      refused.context = {
          {"error", {{"status", 400}, {"message", item.error.message()}}}};
      summaries_.Note(caller, kEvaluateAction, Target(*prepared.active),
                      "invalid_argument");
      answers.push_back(std::move(refused));
    } else {
      WARDEN_ASSIGN_OR_RETURN(AccessAnswer answer,
                              Decide(caller, prepared, item.request,
                                     with_reasons || request.single));
      answers.push_back(std::move(answer));
    }
    if (policy::StopsAfter(request.semantic, answers.back().allowed)) break;
  }
  return answers;
}

Result<SearchPage> AccessDecisionPoint::Search(
    const Caller& caller, const policy::SearchRequest& search) {
  WARDEN_ASSIGN_OR_RETURN(Prepared prepared, Prepare(caller, kSearchAction));
  const ActivePolicy& active = *prepared.active;
  WARDEN_ASSIGN_OR_RETURN(size_t start,
                          PageStart(search.page_token, active.version));
  SearchPage page;
  Count(caller, kSearchAction, prepared, true, SearchKindName(search.kind));
  if (active.policy == nullptr) return page;
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
    WARDEN_ASSIGN_OR_RETURN(std::unique_ptr<RequestFacts> facts,
                            facts_.Gather(prepared.call, request));
    if (policy.Decide(request, *facts).allowed) {
      page.results.push_back(std::move(result));
    }
  }
  if (index < candidates) page.next_token = PageToken(active.version, index);
  return page;
}

void AccessDecisionPoint::NoteInvalid(const Caller& caller,
                                      std::string_view action) {
  summaries_.Note(caller, action, "access", "invalid_argument");
}

}  // namespace warden::access
