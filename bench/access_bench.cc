// In-process access decisions of the policy language (src/policy).
//
// BM_Decide50Rules: a generated policy of 50 rules (ten roles with
//   inheritance, 25 actions in nine areas, permits and forbids with
//   conditions over ==, !=, in, and, or, !, has, has_role and attributes of
//   subject.properties, subject.entity, resource.properties, resource.entity,
//   context and Warden's facts) and 320 entities, deciding documents:update
//   for an editor of the document's team. Seven rules are candidates (five
//   forbids, two permits); every one runs its conditions and the decision
//   is the second permit. Reports allocs_per_decision (target 0; the
//   target time is < 2 us).
// BM_Decide50RulesVsHandWritten: the same decision and the same decision
//   coded by hand over the same request and data, timed back to back;
//   reports ns for each and the ratio.
// BM_DecideTodo: the AuthZEN interop Todo policy deciding can_update_todo
//   for the todo's owner (an editor): a permit rule with one condition.
// BM_Batch100: one Access Evaluations request of 100 evaluations, parsed
//   once, decided item by item as the endpoint does (StopsAfter); reports
//   the time per item and allocs_per_batch.
// BM_Explain: the reasons of the BM_Decide50Rules decision (run only when
//   the caller asks for reasons); allocates, reports allocs_per_explain.
// BM_CompilePolicy50: loading the 50-rule policy from its text.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <boost/json/parse.hpp>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <new>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/counting_allocator.h"
#include "policy/authzen_request.h"
#include "policy/decision_explanation.h"
#include "policy/policy_compiler.h"

namespace warden::policy {
namespace {

constexpr int kUsers = 200;
constexpr int kTeams = 20;
constexpr int kDocuments = 100;

// An area of the application: its resource type, its actions, and which of
// them change something (the writes).
struct Area {
  const char* name;
  std::vector<const char*> reads;
  std::vector<const char*> writes;
};

const std::vector<Area>& Areas() {
  static const std::vector<Area> kAreas = {
      {"documents", {"read"}, {"update", "delete", "share"}},
      {"invoices", {"read"}, {"pay", "refund"}},
      {"tickets", {"read"}, {"create", "close"}},
      {"projects", {"read"}, {"create", "archive"}},
      {"members", {"read"}, {"invite", "remove"}},
      {"audit", {"read"}, {"export"}},
      {"settings", {"read"}, {"update"}},
      {"keys", {"read"}, {"rotate"}},
      {"reports", {"read"}, {"export", "schedule"}},
  };  // 25 actions
  return kAreas;
}

std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string ActionList(const Area& area, bool reads, bool writes) {
  std::string out;
  auto add = [&](const char* verb) {
    if (!out.empty()) out += ", ";
    out += Quoted(std::string(area.name) + ":" + verb);
  };
  if (reads) {
    for (const char* verb : area.reads) add(verb);
  }
  if (writes) {
    for (const char* verb : area.writes) add(verb);
  }
  return "[" + out + "]";
}

// Ten roles; every read is a viewer's permission, writes go up the ladder.
std::string Roles() {
  std::string all_reads;
  for (const Area& area : Areas()) {
    for (const char* verb : area.reads) {
      all_reads += (all_reads.empty() ? "" : ", ") +
                   Quoted(std::string(area.name) + ":" + verb);
    }
  }
  return R"("roles": {
    "viewer": {"permissions": [)" +
         all_reads + R"(]},
    "commenter": {"inherits": ["viewer"], "permissions": ["documents:share"]},
    "editor": {"inherits": ["commenter"],
               "permissions": ["tickets:create", "projects:create"]},
    "reviewer": {"inherits": ["viewer"], "permissions": ["tickets:close"]},
    "publisher": {"inherits": ["editor", "reviewer"],
                  "permissions": ["reports:schedule"]},
    "auditor": {"inherits": ["viewer"],
                "permissions": ["audit:export", "reports:export"]},
    "support": {"inherits": ["viewer"], "permissions": ["members:invite"]},
    "billing": {"inherits": ["viewer"],
                "permissions": ["invoices:pay", "invoices:refund"]},
    "admin": {"inherits": ["publisher", "billing", "support"],
              "permissions": ["members:remove", "settings:update",
                              "projects:archive"]},
    "owner": {"inherits": ["admin", "auditor"],
              "permissions": ["keys:rotate", "documents:delete"]}
  })";
}

const char* RoleOfUser(int i) {
  static constexpr const char* kRoles[] = {
      "viewer",    "commenter", "editor",  "editor",  "reviewer",
      "publisher", "auditor",   "support", "billing", "admin"};
  return i == 0 ? "owner" : kRoles[i % 10];
}

std::string Email(int user) {
  return "user" + std::to_string(user) + "@acme.example";
}
std::string Team(int team) { return "team-" + std::to_string(team); }

// 200 users, 20 teams, 100 documents.
std::string Entities() {
  std::string out = R"("entities": [)";
  for (int i = 0; i < kUsers; ++i) {
    out += R"({"type": "user", "id": "user-)" + std::to_string(i) +
           R"(", "roles": [")" + RoleOfUser(i) +
           R"("], "attributes": {"email": ")" + Email(i) +
           R"(", "member_of": [")" + Team(i % kTeams) + R"(", ")" +
           Team((i + 7) % kTeams) + R"("], "clearance": )" +
           std::to_string(i % 4) + "}},\n";
  }
  for (int t = 0; t < kTeams; ++t) {
    out += R"({"type": "team", "id": ")" + Team(t) +
           R"(", "attributes": {"lead": ")" + Email(t * 3) + R"("}},)" + "\n";
  }
  for (int d = 0; d < kDocuments; ++d) {
    out += R"({"type": "documents", "id": "doc-)" + std::to_string(d) +
           R"(", "attributes": {"owner": ")" + Email(d * 2 + 1) +
           R"(", "team": ")" + Team(d % kTeams) + R"("}})" +
           (d + 1 < kDocuments ? ",\n" : "\n");
  }
  return out + "]";
}

// Five rules per area (45) and five for every action (50 in all).
std::string AreaRules(const Area& area) {
  std::string a = area.name;
  std::string all = ActionList(area, true, true);
  std::string writes = ActionList(area, false, true);
  std::string reads = ActionList(area, true, false);
  return R"({"id": ")" + a + R"(-cross-tenant", "effect": "forbid",
     "actions": )" +
         all + R"(,
     "when": {"!=": [{"var": "subject.properties.tenant"},
                     {"var": "resource.properties.tenant"}]}},
    {"id": ")" +
         a + R"(-restricted", "effect": "forbid", "actions": )" + writes + R"(,
     "when": {"and": [
       {"==": [{"var": "resource.properties.classification"}, "restricted"]},
       {"!": {"has_role": ["admin", "auditor"]}}]}},
    {"id": ")" +
         a + R"(-readers-on-network", "effect": "permit",
     "subject": {"roles": ["viewer"]}, "actions": )" +
         reads + R"(,
     "resource": {"types": [")" +
         a + R"("]},
     "when": {"in": [{"var": "context.network"}, ["corp", "vpn"]]}},
    {"id": ")" +
         a + R"(-owner-writes", "effect": "permit", "actions": )" + writes +
         R"(,
     "when": {"or": [
       {"==": [{"var": "resource.properties.owner"},
               {"var": "subject.entity.email"}]},
       {"==": [{"var": "resource.entity.owner"},
               {"var": "subject.entity.email"}]}]}},
    {"id": ")" +
         a + R"(-team-writes", "effect": "permit",
     "subject": {"types": ["user"], "roles": ["editor"]}, "actions": )" +
         writes + R"(,
     "resource": {"types": [")" +
         a + R"("]},
     "when": {"and": [
       {"in": [{"var": "resource.properties.team"},
               {"var": "subject.entity.member_of"}]},
       {"in": [{"var": "context.network"}, ["corp", "vpn"]]},
       {"==": [{"var": "subject.identity.environment"}, "production"]}]},
     "unless": {"==": [{"var": "resource.properties.locked"}, true]}},
)";
}

std::string Policy50() {
  std::string rules;
  for (const Area& area : Areas()) rules += AreaRules(area);
  rules += R"(
    {"id": "suspended-subjects", "effect": "forbid",
     "when": {"==": [{"var": "subject.properties.status"}, "suspended"]}},
    {"id": "blocked-networks", "effect": "forbid",
     "when": {"==": [{"var": "context.network"}, "blocked"]}},
    {"id": "tenant-suspended", "effect": "forbid",
     "when": {"==": [{"var": "tenant.status"}, "suspended"]}},
    {"id": "break-glass", "effect": "permit", "subject": {"roles": ["owner"]},
     "when": {"and": [{"has": "context.incident"},
                      {"==": [{"var": "context.break_glass"}, true]}]}},
    {"id": "service-accounts", "effect": "permit",
     "subject": {"types": ["service"]},
     "when": {"in": [{"var": "resource.type"},
                     {"var": "subject.properties.resource_types"}]}}
  )";
  return "{\"description\": \"generated: 50 rules, 10 roles, 25 actions\",\n" +
         Roles() + ",\n" + Entities() + ",\n\"rules\": [" + rules + "]}";
}

// Warden's facts for the request: a production workload of an active
// tenant. Views of static strings, so lookups allocate nothing.
class BenchFacts : public FactSource {
 public:
  AttributeValue Lookup(FactRoot root,
                        std::span<const std::string> path) const override {
    if (path.size() != 1) return AttributeValue::Missing();
    if (root == FactRoot::kSubjectIdentity && path[0] == "environment") {
      return AttributeValue::String("production");
    }
    if (root == FactRoot::kTenant && path[0] == "status") {
      return AttributeValue::String("active");
    }
    if (root == FactRoot::kNow && path[0] == "hour") {
      return AttributeValue::Number(14);
    }
    return AttributeValue::Missing();
  }
  bool FlagOn(std::string_view flag_key) const override {
    return flag_key == "documents-v2";
  }
  bool Denial(BuiltInDenial*) const override { return false; }
};

// user-12 (an editor of team-12 and team-19) updates doc-32 (team-12,
// owned by someone else) from the corporate network.
constexpr std::string_view kUpdateRequest = R"({
  "subject": {"type": "user", "id": "user-12",
              "properties": {"tenant": "acme", "status": "active"}},
  "action": {"name": "documents:update"},
  "resource": {"type": "documents", "id": "doc-32",
               "properties": {"tenant": "acme", "owner": "user65@acme.example",
                              "team": "team-12",
                              "classification": "internal"}},
  "context": {"network": "corp", "mfa": true}
})";

std::shared_ptr<const PolicySet> MustCompile(std::string_view text) {
  auto policy = CompilePolicyText(text);
  if (!policy.ok()) {
    std::fprintf(stderr, "policy: %s\n",
                 std::string(policy.status().message()).c_str());
    std::abort();
  }
  return *policy;
}

AccessRequest MustParse(const boost::json::value& body) {
  AccessRequest request;
  Status status = ParseEvaluation(body.as_object(), &request);
  if (!status.ok()) std::abort();
  return request;
}

void CountPer(benchmark::State& state, const char* name, long before) {
  state.counters[name] = static_cast<double>(g_allocations.load() - before) /
                         static_cast<double>(state.iterations());
}

// The timed loop of the single-decision benchmarks, with allocations per
// decision.
void TimeDecisions(benchmark::State& state, const PolicySet& policy,
                   const AccessRequest& request, const FactSource& facts) {
  long before = g_allocations.load();
  for (auto _ : state) {
    Decision d = policy.Decide(request, facts);
    benchmark::DoNotOptimize(d);
  }
  CountPer(state, "allocs_per_decision", before);
}

void BM_Decide50Rules(benchmark::State& state) {
  auto policy = MustCompile(Policy50());
  const boost::json::value body = boost::json::parse(kUpdateRequest);
  const AccessRequest request = MustParse(body);
  const BenchFacts facts;
  Decision check = policy->Decide(request, facts);
  if (!check.allowed || check.rule == nullptr ||
      check.rule->id != "documents-team-writes") {
    state.SkipWithError("unexpected decision");
    return;
  }
  TimeDecisions(state, *policy, request, facts);
  state.counters["rules"] = static_cast<double>(policy->rules().size());
}
BENCHMARK(BM_Decide50Rules);

// The documents:update decision of the generated policy coded by hand over
// the same request and the same data (an entity table keyed by id): the
// floor for any evaluator of that policy.
class HandWrittenUpdate {
 public:
  HandWrittenUpdate() {
    for (int i = 0; i < kUsers; ++i) {
      std::string role = RoleOfUser(i);
      users_["user-" + std::to_string(i)] = {
          Email(i),
          {Team(i % kTeams), Team((i + 7) % kTeams)},
          role == "editor" || role == "publisher" || role == "admin" ||
              role == "owner",
          role == "admin" || role == "owner" || role == "auditor"};
    }
    for (int d = 0; d < kDocuments; ++d) {
      document_owners_["doc-" + std::to_string(d)] = Email(d * 2 + 1);
    }
  }

  bool Allowed(const AccessRequest& r, const FactSource& facts) const {
    auto user = users_.find(r.subject.id);
    if (user == users_.end()) return false;
    const User& u = user->second;
    std::string_view network = Text(r.context, "network");
    if (Text(r.subject.properties, "tenant") !=
            Text(r.resource.properties, "tenant") ||
        (Text(r.resource.properties, "classification") == "restricted" &&
         !u.admin_or_auditor) ||
        Text(r.subject.properties, "status") == "suspended" ||
        network == "blocked" ||
        facts.Lookup(FactRoot::kTenant, tenant_status_).string == "suspended") {
      return false;
    }
    auto owner = document_owners_.find(r.resource.id);
    if (Text(r.resource.properties, "owner") == u.email ||
        (owner != document_owners_.end() && owner->second == u.email)) {
      return true;
    }
    std::string_view team = Text(r.resource.properties, "team");
    return u.editor && r.subject.type == "user" &&
           r.resource.type == "documents" &&
           std::find(u.member_of.begin(), u.member_of.end(), team) !=
               u.member_of.end() &&
           (network == "corp" || network == "vpn") &&
           facts.Lookup(FactRoot::kSubjectIdentity, environment_).string ==
               "production" &&
           !Locked(r.resource.properties);
  }

 private:
  struct User {
    std::string email;
    std::vector<std::string> member_of;
    bool editor = false;
    bool admin_or_auditor = false;
  };

  static std::string_view Text(const boost::json::object* o,
                               std::string_view key) {
    const boost::json::value* v = o == nullptr ? nullptr : o->if_contains(key);
    return v != nullptr && v->is_string() ? std::string_view(v->get_string())
                                          : std::string_view();
  }
  static bool Locked(const boost::json::object* o) {
    const boost::json::value* v =
        o == nullptr ? nullptr : o->if_contains("locked");
    return v != nullptr && v->is_bool() && v->get_bool();
  }

  std::unordered_map<std::string, User, StringHash, std::equal_to<>> users_;
  std::unordered_map<std::string, std::string, StringHash, std::equal_to<>>
      document_owners_;
  std::vector<std::string> tenant_status_ = {"status"};
  std::vector<std::string> environment_ = {"environment"};
};

// Thread CPU time, so that other processes on a shared machine do not
// distort the ratio.
double ThreadCpuNs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

template <typename Fn>
double NsPerCall(Fn&& fn, int n) {
  double start = ThreadCpuNs();
  for (int i = 0; i < n; ++i) fn();
  return (ThreadCpuNs() - start) / n;
}

// Both timed back to back; reports ns for each and the ratio.
void BM_Decide50RulesVsHandWritten(benchmark::State& state) {
  auto policy = MustCompile(Policy50());
  const boost::json::value body = boost::json::parse(kUpdateRequest);
  const AccessRequest request = MustParse(body);
  const BenchFacts facts;
  const HandWrittenUpdate hand;
  if (!hand.Allowed(request, facts)) {
    state.SkipWithError("the hand-written decision disagrees");
    return;
  }
  constexpr int kCalls = 200'000;
  double warden_ns = 0, hand_ns = 0;
  for (auto _ : state) {
    hand_ns += NsPerCall(
        [&] { benchmark::DoNotOptimize(hand.Allowed(request, facts)); },
        kCalls);
    warden_ns += NsPerCall(
        [&] {
          benchmark::DoNotOptimize(policy->Decide(request, facts).allowed);
        },
        kCalls);
  }
  double n = static_cast<double>(state.iterations());
  state.counters["warden_ns"] = warden_ns / n;
  state.counters["hand_ns"] = hand_ns / n;
  state.counters["ratio"] = warden_ns / hand_ns;
}
BENCHMARK(BM_Decide50RulesVsHandWritten)
    ->Iterations(5)
    ->Unit(benchmark::kMillisecond);

std::string ReadSourceFile(const char* relative) {
  std::ifstream in(std::string(WARDEN_SOURCE_DIR) + "/" + relative);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void BM_DecideTodo(benchmark::State& state) {
  auto policy =
      MustCompile(ReadSourceFile("examples/policies/todo.policy.json"));
  const boost::json::value body = boost::json::parse(R"({
    "subject": {"type": "user",
      "id": "CiRmZDE2MTRkMy1jMzlhLTQ3ODEtYjdiZC04Yjk2ZjVhNTEwMGQSBWxvY2Fs"},
    "action": {"name": "can_update_todo"},
    "resource": {"type": "todo", "id": "7240d0db-8ff0-41ec-98b2-34a096273b92",
                 "properties": {"ownerID": "morty@the-citadel.com"}}})");
  const AccessRequest request = MustParse(body);
  const NoFacts facts;
  Decision check = policy->Decide(request, facts);
  if (!check.allowed || check.basis != Decision::Basis::kRule) {
    state.SkipWithError("unexpected decision");
    return;
  }
  TimeDecisions(state, *policy, request, facts);
}
BENCHMARK(BM_DecideTodo);

// 100 evaluations sharing the subject and context: every action of the
// policy on documents and other areas' resources, owners and teams varying.
std::string Batch100() {
  std::string items;
  int n = 0;
  for (int round = 0; n < 100; ++round) {
    for (const Area& area : Areas()) {
      for (const auto* verbs : {&area.reads, &area.writes}) {
        for (const char* verb : *verbs) {
          if (n == 100) break;
          int doc = (n * 7 + round) % kDocuments;
          items += std::string(n == 0 ? "" : ",\n") +
                   R"({"action": {"name": ")" + area.name + ":" + verb +
                   R"("}, "resource": {"type": ")" + area.name +
                   R"(", "id": "doc-)" + std::to_string(doc) +
                   R"(", "properties": {"tenant": "acme", "owner": ")" +
                   Email(n % 3 == 0 ? 12 : doc) + R"(", "team": ")" +
                   Team(n % 5 == 0 ? 12 : doc % kTeams) + R"("}}})";
          ++n;
        }
      }
    }
  }
  return R"({"subject": {"type": "user", "id": "user-12",
              "properties": {"tenant": "acme", "status": "active"}},
    "context": {"network": "corp"},
    "options": {"evaluations_semantic": "execute_all"},
    "evaluations": [)" +
         items + "]}";
}

void BM_Batch100(benchmark::State& state) {
  auto policy = MustCompile(Policy50());
  const boost::json::value body = boost::json::parse(Batch100());
  auto batch = ParseEvaluations(body.as_object());
  if (!batch.ok() || batch->items.size() != 100) {
    state.SkipWithError("batch did not parse into 100 evaluations");
    return;
  }
  const BenchFacts facts;
  long allowed = 0;
  long before = g_allocations.load();
  for (auto _ : state) {
    int decided = 0;
    for (const BatchItem& item : batch->items) {
      if (!item.error.ok()) continue;
      Decision d = policy->Decide(item.request, facts);
      benchmark::DoNotOptimize(d);
      ++decided;
      allowed += d.allowed;
      if (StopsAfter(batch->semantic, d.allowed)) break;
    }
    benchmark::DoNotOptimize(decided);
  }
  CountPer(state, "allocs_per_batch", before);
  state.counters["allowed_per_batch"] =
      static_cast<double>(allowed) / static_cast<double>(state.iterations());
  state.counters["per_item"] =
      benchmark::Counter(100, benchmark::Counter::kIsIterationInvariantRate |
                                  benchmark::Counter::kInvert);
  state.SetItemsProcessed(state.iterations() * 100);
}
BENCHMARK(BM_Batch100);

void BM_Explain(benchmark::State& state) {
  auto policy = MustCompile(Policy50());
  const boost::json::value body = boost::json::parse(kUpdateRequest);
  const AccessRequest request = MustParse(body);
  const BenchFacts facts;
  const Decision decision = policy->Decide(request, facts);
  boost::json::object check =
      ExplainDecision(*policy, request, facts, decision);
  if (check["id"] != "rule:documents-team-writes" ||
      check["facts"].as_object().size() != 5) {
    state.SkipWithError("unexpected reasons");
    return;
  }
  long before = g_allocations.load();
  for (auto _ : state) {
    boost::json::object reasons =
        ExplainDecision(*policy, request, facts, decision);
    benchmark::DoNotOptimize(reasons);
  }
  CountPer(state, "allocs_per_explain", before);
}
BENCHMARK(BM_Explain);

void BM_CompilePolicy50(benchmark::State& state) {
  const std::string text = Policy50();
  for (auto _ : state) {
    auto policy = CompilePolicyText(text);
    benchmark::DoNotOptimize(policy);
  }
  state.counters["policy_KiB"] = static_cast<double>(text.size()) / 1024;
  state.SetBytesProcessed(state.iterations() *
                          static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_CompilePolicy50)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace warden::policy

BENCHMARK_MAIN();
