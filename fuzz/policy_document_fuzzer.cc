// Fuzzes access policy documents (policy_compiler.h). Any input must be
// refused with a Status naming the problem or compile to a PolicySet that
// decides without crashing. A compiled policy then decides fixed AuthZEN
// requests, requests naming its own actions and entities, and one request
// cut from the input, under three fact sources (knowing nothing, knowing a
// value under every fact root, and a built-in denial), and every decision
// must satisfy the invariants of policy_set.h and decision_explanation.h.
#include <algorithm>
#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "policy/authzen_request.h"
#include "policy/decision_cases.h"
#include "policy/decision_explanation.h"
#include "policy/policy_compiler.h"

namespace {

using namespace warden::policy;

// Bounds the requests built from one policy, so a policy with thousands of
// actions or entities still runs in milliseconds.
constexpr size_t kMaxActionsTried = 8;
constexpr size_t kMaxEntitiesTried = 8;

// Requests in the shapes the Todo interop suite and the unit tests send.
constexpr std::array<std::string_view, 6> kRequests = {
    R"({"subject":{"type":"user","id":"CiRmZDA2MTRkMy1jMzlhLTQ3ODEtYjdiZC04Yjk2ZjVhNTEwMGQSBWxvY2Fs"},
        "action":{"name":"can_update_todo"},
        "resource":{"type":"todo","id":"7240d0db",
                    "properties":{"ownerID":"rick@the-citadel.com"}}})",
    R"({"subject":{"type":"user","id":"ann","properties":{"roles":["writer","admin","editor"]}},
        "action":{"name":"write"},
        "resource":{"type":"doc","id":"d1","properties":{"frozen":true,"team":"payments"}},
        "context":{"mfa":true,"n":1}})",
    R"({"subject":{"type":"workload","id":"spiffe://prod/payments"},
        "action":{"name":"write","properties":{"method":"POST"}},
        "resource":{"type":"ledger","id":"l1","properties":{"team":"payments","tags":["a",1,null]}},
        "context":{"time":"2026-12-07T08:00:00Z","ip":"10.0.0.1"}})",
    R"({"subject":{"type":"u","id":"a"},"action":{"name":"x"},
        "resource":{"type":"r","id":"1"},"context":{"n":1.0}})",
    R"({"subject":{"type":"user","id":"bob","properties":{"roles":"viewer"}},
        "action":{"name":"delete"},"resource":{"type":"doc","id":"d1"}})",
    R"({"subject":{"type":"user","id":"zed","properties":{"roles":["reader",7]}},
        "action":{"name":"read"},
        "resource":{"type":"doc","id":"x","properties":{"owner":{"id":"zed"}}},
        "context":{"mfa":false,"n":"1"}})",
};

// Stated facts with a value under every root (decision_cases.h format).
constexpr std::string_view kFacts = R"({
  "subject.identity": {"environment": "production", "owner": "payments",
                       "status": "active", "risk_tier": 2,
                       "scopes": ["access:evaluate", "flags:read"]},
  "caller": {"id": "pep-1", "type": "workload", "team": "payments"},
  "tenant": {"id": "acme", "plan": "enterprise", "limited": false},
  "now": {"time": "2026-12-07T08:00:00Z", "hour": 8, "weekday": "monday"},
  "flags_on": ["checkout-v2", "v2"]})";

class DeniedFacts : public NoFacts {
 public:
  bool Denial(BuiltInDenial* out) const override {
    *out = {"limit", "lim-1"};
    return true;
  }
};

struct Fixtures {
  std::vector<boost::json::value> requests;
  boost::json::value facts;
};

const Fixtures& TheFixtures() {
  static const Fixtures* fixtures = [] {
    auto* f = new Fixtures;
    for (std::string_view text : kRequests) {
      f->requests.push_back(boost::json::parse(text));
    }
    f->facts = boost::json::parse(kFacts);
    return f;
  }();
  return *fixtures;
}

void Check(bool invariant) {
  if (!invariant) std::abort();
}

std::string_view BasisName(Decision::Basis basis) {
  switch (basis) {
    case Decision::Basis::kRule:
      return "rule";
    case Decision::Basis::kRolePermission:
      return "role";
    case Decision::Basis::kBuiltInDenial:
      return "built-in";
    case Decision::Basis::kNoPermit:
      break;
  }
  return "default-deny";
}

void CheckDecision(const PolicySet& policy, const AccessRequest& request,
                   const FactSource& facts, const Decision& d) {
  BuiltInDenial denial;
  Check((d.basis == Decision::Basis::kBuiltInDenial) == facts.Denial(&denial));
  // Only a permit rule or a granting role allows; a role never denies.
  if (d.allowed) {
    Check(d.basis == Decision::Basis::kRule ||
          d.basis == Decision::Basis::kRolePermission);
  } else {
    Check(d.basis != Decision::Basis::kRolePermission);
  }
  if (d.basis == Decision::Basis::kRule) {
    Check(d.rule != nullptr);
    const std::vector<Rule>& rules = policy.rules();
    Check(d.rule >= rules.data() && d.rule < rules.data() + rules.size());
    Check(d.allowed == (d.rule->effect == Effect::kPermit));
    Check(d.rule->actions.empty() ||
          std::find(d.rule->actions.begin(), d.rule->actions.end(),
                    request.action) != d.rule->actions.end());
  } else {
    Check(d.rule == nullptr);
  }
  if (d.basis == Decision::Basis::kRolePermission) {
    Check(d.role >= 0 && static_cast<size_t>(d.role) < policy.roles().size());
  }
  // Deciding is a pure function of the request and the facts.
  Decision again = policy.Decide(request, facts);
  Check(again.allowed == d.allowed && again.basis == d.basis &&
        again.rule == d.rule && again.role == d.role);

  boost::json::object why = ExplainDecision(policy, request, facts, d);
  const boost::json::value* id = why.if_contains("id");
  Check(id != nullptr && id->is_string() &&
        id->get_string() == ReasonId(policy, d));
  const boost::json::value* basis = why.if_contains("basis");
  Check(basis != nullptr && basis->is_string() &&
        basis->get_string() == BasisName(d.basis));
  if (d.basis == Decision::Basis::kRule) {
    Check(why.at("rule").as_string() == d.rule->id);
    Check(why.at("effect").as_string() == EffectName(d.rule->effect));
  }
  (void)boost::json::serialize(why);
}

void DecideUnderEveryFactSource(const PolicySet& policy,
                                const AccessRequest& request) {
  const NoFacts none;
  const StatedFacts stated(&TheFixtures().facts.get_object());
  const DeniedFacts denied;
  for (const FactSource* facts :
       std::array<const FactSource*, 3>{&none, &stated, &denied}) {
    CheckDecision(policy, request, *facts, policy.Decide(request, *facts));
  }
}

// The role table and the entity index agree with what they were built from.
void CheckTables(const PolicySet& policy) {
  const RoleTable& roles = policy.roles();
  for (size_t i = 0; i < roles.size(); ++i) {
    const int role = static_cast<int>(i);
    Check(roles.Find(roles.name(role)) == role);
    Check(roles.Closure(role).test(i));
  }
  Check(std::is_sorted(policy.actions().begin(), policy.actions().end()));
}

// Requests naming the policy's own actions and entities: the fixed ones
// rarely match a fuzzed policy's names.
void DecideOwnNames(const PolicySet& policy, const AccessRequest& base) {
  const std::vector<std::string>& actions = policy.actions();
  AccessRequest request = base;
  for (size_t a = 0; a < actions.size() && a < kMaxActionsTried; ++a) {
    request.action = actions[a];
    DecideUnderEveryFactSource(policy, request);
  }
  if (actions.empty()) return;
  for (std::string_view type : {base.subject.type, base.resource.type}) {
    std::vector<const PolicyEntity*> entities = policy.EntitiesOfType(type);
    for (size_t e = 0; e < entities.size() && e < kMaxEntitiesTried; ++e) {
      Check(policy.FindEntity(type, entities[e]->id) == entities[e]);
      request.subject.type = entities[e]->type;
      request.subject.id = entities[e]->id;
      request.resource = base.resource;
      request.action = actions[e % actions.size()];
      DecideUnderEveryFactSource(policy, request);
      request.resource.type = entities[e]->type;
      request.resource.id = entities[e]->id;
      DecideUnderEveryFactSource(policy, request);
    }
  }
}

// A request whose names are cut from the input: its last bytes split in
// four (fuzzed documents often name what the tail of the input holds).
AccessRequest RequestFromSlice(std::string_view text,
                               const AccessRequest& base) {
  std::string_view tail =
      text.substr(text.size() - std::min<size_t>(text.size(), 64));
  const size_t quarter = tail.size() / 4;
  AccessRequest request = base;
  request.subject.type = tail.substr(0, quarter);
  request.subject.id = tail.substr(quarter, quarter);
  request.action = tail.substr(2 * quarter, quarter);
  request.resource.type = tail.substr(3 * quarter, quarter);
  request.resource.id = tail.substr(3 * quarter);
  return request;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto policy = CompilePolicyText(text);
  if (!policy.ok()) {
    Check(!policy.status().message().empty());
    return 0;
  }
  const PolicySet& set = **policy;
  CheckTables(set);
  AccessRequest first;
  for (const boost::json::value& body : TheFixtures().requests) {
    AccessRequest request;
    Check(ParseEvaluation(body.get_object(), &request).ok());
    DecideUnderEveryFactSource(set, request);
    if (first.action.empty()) first = request;
  }
  DecideOwnNames(set, first);
  DecideUnderEveryFactSource(set, RequestFromSlice(text, first));
  return 0;
}
