// Fuzzes AuthZEN request bodies (authzen_request.h): the input is read as
// JSON, as the HTTP layer bounds it, and given to ParseEvaluation,
// ParseEvaluations and ParseSearch of every kind. Each must refuse it with
// a Status or read it into requests whose required parts are present;
// every request read is decided against the interop Todo policy (with a
// forbid and conditions on facts added) and explained. A batch also runs
// through the decision-case runner (decision_cases.h), whose answers must
// come in request order and stop exactly where the batch's semantic says
// (OpenID AuthZEN Authorization API 1.0, section 7.1.2).
#include <algorithm>
#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "policy/authzen_request.h"
#include "policy/decision_cases.h"
#include "policy/decision_explanation.h"
#include "policy/policy_compiler.h"

namespace {

using namespace warden::policy;

// Request bodies nest a few levels; the HTTP layer refuses deeper ones.
constexpr int kMaxBodyDepth = 16;
// Candidates a search decides for one input (its page limit may be 1000).
constexpr size_t kMaxSearchCandidates = 16;

// examples/policies/todo.policy.json, plus a forbid with a negated "has"
// and an "unless", and a permit for workloads reading facts and a flag.
constexpr std::string_view kTodoPolicy = R"({"roles":{
"viewer":{"permissions":["can_read_user","can_read_todos"]},
"editor":{"inherits":["viewer"],"permissions":["can_create_todo"]},
"admin":{"inherits":["editor"],"permissions":["can_delete_todo"]},
"evil_genius":{"inherits":["editor"],"permissions":["can_update_todo"]}},
"entities":[
{"type":"user","id":"CiRmZDA2MTRkMy1jMzlhLTQ3ODEtYjdiZC04Yjk2ZjVhNTEwMGQSBWxvY2Fs",
 "roles":["admin","evil_genius"],"attributes":{"email":"rick@the-citadel.com"}},
{"type":"user","id":"CiRmZDE2MTRkMy1jMzlhLTQ3ODEtYjdiZC04Yjk2ZjVhNTEwMGQSBWxvY2Fs",
 "roles":["editor"],"attributes":{"email":"morty@the-citadel.com"}},
{"type":"user","id":"CiRmZDI2MTRkMy1jMzlhLTQ3ODEtYjdiZC04Yjk2ZjVhNTEwMGQSBWxvY2Fs",
 "roles":["editor"],"attributes":{"email":"summer@the-smiths.com"}},
{"type":"user","id":"CiRmZDM2MTRkMy1jMzlhLTQ3ODEtYjdiZC04Yjk2ZjVhNTEwMGQSBWxvY2Fs",
 "roles":["viewer"],"attributes":{"email":"beth@the-smiths.com"}},
{"type":"user","id":"CiRmZDQ2MTRkMy1jMzlhLTQ3ODEtYjdiZC04Yjk2ZjVhNTEwMGQSBWxvY2Fs",
 "roles":["viewer"],"attributes":{"email":"jerry@the-smiths.com"}},
{"type":"todo","id":"7240d0db-8ff0-41ec-98b2-34a096273b9f",
 "attributes":{"ownerID":"rick@the-citadel.com","tags":["frozen"]}}],
"rules":[
{"id":"anyone-reads","effect":"permit","subject":{"types":["user"]},
 "actions":["can_read_user","can_read_todos"]},
{"id":"editors-change-own-todos","effect":"permit",
 "subject":{"roles":["editor"]},"actions":["can_update_todo","can_delete_todo"],
 "resource":{"types":["todo"]},
 "when":{"==":[{"var":"resource.properties.ownerID"},{"var":"subject.entity.email"}]}},
{"id":"frozen-todos","effect":"forbid",
 "actions":["can_update_todo","can_delete_todo"],"resource":{"types":["todo"]},
 "when":{"or":[{"in":["frozen",{"var":"resource.entity.tags"}]},
               {"==":[{"var":"resource.properties.frozen"},true]},
               {"!":{"has":"subject.entity.email"}}]},
 "unless":{"has_role":"admin"}},
{"id":"workloads-read-their-team","effect":"permit",
 "subject":{"types":["workload"]},"actions":["can_read_todos"],
 "when":{"and":[{"==":[{"var":"subject.identity.owner"},{"var":"resource.properties.team"}]},
                {"flag_on":"v2"},
                {"in":[{"var":"context.region"},["eu","us"]]},
                {"<=":[{"var":"now.hour"},{"var":"action.properties.until"}]}]}}]})";

// Stated facts (decision_cases.h format) with a value under every root.
constexpr std::string_view kFacts = R"({
  "subject.identity": {"owner": "payments", "status": "active"},
  "caller": {"id": "pep-1"}, "tenant": {"id": "acme"},
  "now": {"hour": 8}, "flags_on": ["v2"]})";

struct Fixtures {
  boost::json::value policy_document;
  std::shared_ptr<const PolicySet> policy;
  boost::json::value facts;
};

const Fixtures& TheFixtures() {
  static const Fixtures* fixtures = [] {
    auto* f = new Fixtures;
    f->policy_document = boost::json::parse(kTodoPolicy);
    f->policy = std::move(CompilePolicy(f->policy_document)).value();
    f->facts = boost::json::parse(kFacts);
    return f;
  }();
  return *fixtures;
}

void Check(bool invariant) {
  if (!invariant) std::abort();
}

// Section 7.1.2, stated apart from StopsAfter: deny_on_first_deny stops
// after the first denial, permit_on_first_permit after the first permit,
// execute_all never.
bool SpecStops(EvaluationsSemantic semantic, bool allowed) {
  switch (semantic) {
    case EvaluationsSemantic::kExecuteAll:
      return false;
    case EvaluationsSemantic::kDenyOnFirstDeny:
      return !allowed;
    case EvaluationsSemantic::kPermitOnFirstPermit:
      return allowed;
  }
  return false;
}

// A request read in full names every part.
void CheckComplete(const AccessRequest& r) {
  Check(!r.subject.type.empty() && !r.subject.id.empty());
  Check(!r.action.empty());
  Check(!r.resource.type.empty() && !r.resource.id.empty());
}

bool DecideAndExplain(const AccessRequest& request) {
  const PolicySet& policy = *TheFixtures().policy;
  const StatedFacts facts(&TheFixtures().facts.get_object());
  const Decision d = policy.Decide(request, facts);
  const boost::json::object why = ExplainDecision(policy, request, facts, d);
  Check(why.at("id").as_string() == ReasonId(policy, d));
  if (d.allowed) {
    Check(d.basis == Decision::Basis::kRule ||
          d.basis == Decision::Basis::kRolePermission);
  }
  Check((d.basis == Decision::Basis::kRule) == (d.rule != nullptr));
  (void)policy.Decide(request, NoFacts());
  (void)boost::json::serialize(why);
  return d.allowed;
}

// The answers a batch owes, decided one by one and stopped by SpecStops.
std::vector<bool> ExpectedAnswers(const EvaluationsRequest& batch) {
  std::vector<bool> answers;
  for (const BatchItem& item : batch.items) {
    const bool allowed = item.error.ok() && DecideAndExplain(item.request);
    Check(StopsAfter(batch.semantic, allowed) ==
          SpecStops(batch.semantic, allowed));
    answers.push_back(allowed);
    if (SpecStops(batch.semantic, allowed)) break;
  }
  return answers;
}

std::string ListText(const std::vector<bool>& list) {
  std::string out = "[";
  for (size_t i = 0; i < list.size(); ++i) {
    out += (i ? "," : "") + std::string(list[i] ? "true" : "false");
  }
  return out + "]";
}

// Runs `body` as a batch case (and as a single one when it reads as one)
// through RunDecisionCases, expecting the answers worked out here.
void RunAsCases(const boost::json::object& body,
                const EvaluationsRequest& batch, const AccessRequest* single) {
  const std::vector<bool> expected = ExpectedAnswers(batch);
  boost::json::array expected_json;
  for (bool allowed : expected) expected_json.push_back(allowed);
  boost::json::object cases;
  cases["policy"] = TheFixtures().policy_document;
  cases["facts"] = TheFixtures().facts;
  cases["evaluations"] = boost::json::array{
      boost::json::object{{"request", body}, {"expected", expected_json}}};
  bool single_allowed = false;
  if (single != nullptr) {
    single_allowed = DecideAndExplain(*single);
    cases["evaluation"] = boost::json::array{
        boost::json::object{{"request", body}, {"expected", single_allowed}}};
  }
  auto report = RunDecisionCases(
      cases, [](const std::string&) -> warden::Result<std::string> {
        return std::string(kTodoPolicy);
      });
  Check(report.ok());
  Check(report->failed == 0);
  Check(report->results.size() == (single != nullptr ? 2u : 1u));
  const CaseResult& ran = report->results.back();  // "evaluations" run last
  Check(ran.got == ListText(expected));
  size_t decided = 0;
  for (size_t i = 0; i < expected.size(); ++i) {
    decided += batch.items[i].error.ok() ? 1 : 0;
  }
  const size_t reasons =
      ran.reason.empty()
          ? 0
          : std::count(ran.reason.begin(), ran.reason.end(), ',') + 1;
  Check(reasons == decided);
}

void FuzzEvaluations(const boost::json::object& body) {
  AccessRequest one;
  const bool one_ok = ParseEvaluation(body, &one).ok();
  if (one_ok) CheckComplete(one);
  auto batch = ParseEvaluations(body);
  if (!batch.ok()) {
    Check(!batch.status().message().empty());
    return;
  }
  Check(!batch->items.empty() && batch->items.size() <= kMaxBatchEvaluations);
  if (batch->single) {
    Check(one_ok && batch->items.size() == 1 && batch->items[0].error.ok());
  }
  for (const BatchItem& item : batch->items) {
    if (item.error.ok()) {
      CheckComplete(item.request);
    } else {
      Check(!item.error.message().empty());
    }
  }
  RunAsCases(body, *batch, one_ok ? &one : nullptr);
}

// Decides the candidates a search would: the policy's entities of the
// searched type, or its actions.
void FuzzSearch(SearchKind kind, const boost::json::object& body) {
  auto search = ParseSearch(kind, body);
  if (!search.ok()) {
    Check(!search.status().message().empty());
    return;
  }
  Check(search->limit >= 1 && search->limit <= kMaxSearchLimit);
  AccessRequest request = search->request;
  const PolicySet& policy = *TheFixtures().policy;
  Check(!request.subject.type.empty() && !request.resource.type.empty());
  if (kind == SearchKind::kAction) {
    Check(request.action.empty());
    for (size_t i = 0; i < policy.actions().size() && i < kMaxSearchCandidates;
         ++i) {
      request.action = policy.actions()[i];
      DecideAndExplain(request);
    }
    return;
  }
  Check(!request.action.empty());
  EntityRef& searched =
      kind == SearchKind::kSubject ? request.subject : request.resource;
  std::vector<const PolicyEntity*> entities =
      policy.EntitiesOfType(searched.type);
  for (size_t i = 0; i < entities.size() && i < kMaxSearchCandidates; ++i) {
    searched.id = entities[i]->id;
    DecideAndExplain(request);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  boost::json::parse_options options;
  options.max_depth = kMaxBodyDepth;
  boost::system::error_code error;
  boost::json::value body = boost::json::parse(
      std::string_view(reinterpret_cast<const char*>(data), size), error, {},
      options);
  if (error || !body.is_object()) return 0;
  FuzzEvaluations(body.get_object());
  for (SearchKind kind :
       {SearchKind::kSubject, SearchKind::kResource, SearchKind::kAction}) {
    FuzzSearch(kind, body.get_object());
  }
  return 0;
}
