// Deciding an access request allocates nothing, whatever the basis of the
// decision (a rule whose conditions ran, a forbid, a role's permission, the
// default deny, a built-in denial): a counting global operator new, in this
// test binary only, proves it.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "core/counting_allocator.h"
#include "policy/authzen_request.h"
#include "policy/decision_explanation.h"
#include "policy/policy_compiler.h"

namespace warden::policy {
namespace {

// Every operator a condition has, every attribute root a request or the
// facts fill, roles with inheritance.
constexpr std::string_view kPolicy = R"({
  "roles": {
    "viewer": {"permissions": ["docs:read"]},
    "editor": {"inherits": ["viewer"], "permissions": ["docs:comment"]},
    "admin": {"inherits": ["editor"], "permissions": ["docs:delete"]}
  },
  "entities": [
    {"type": "user", "id": "ann", "roles": ["editor"],
     "attributes": {"email": "ann@acme.example",
                    "member_of": ["payments", "oncall"], "clearance": 2}},
    {"type": "user", "id": "bob", "roles": ["viewer"],
     "attributes": {"email": "bob@acme.example", "member_of": ["search"]}},
    {"type": "doc", "id": "d1",
     "attributes": {"owner": "carol@acme.example", "team": "payments"}}
  ],
  "rules": [
    {"id": "cross-tenant", "effect": "forbid",
     "when": {"!=": [{"var": "subject.properties.tenant"},
                     {"var": "resource.properties.tenant"}]}},
    {"id": "restricted", "effect": "forbid", "actions": ["docs:update"],
     "when": {"and": [
       {"==": [{"var": "resource.properties.classification"}, "restricted"]},
       {"!": {"has_role": "admin"}}]}},
    {"id": "owner-updates", "effect": "permit", "actions": ["docs:update"],
     "when": {"or": [
       {"==": [{"var": "resource.properties.owner"},
               {"var": "subject.entity.email"}]},
       {"==": [{"var": "resource.entity.owner"},
               {"var": "subject.entity.email"}]}]}},
    {"id": "team-updates", "effect": "permit",
     "subject": {"types": ["user"], "roles": ["editor"]},
     "actions": ["docs:update"], "resource": {"types": ["doc"]},
     "when": {"and": [
       {"in": [{"var": "resource.entity.team"},
               {"var": "subject.entity.member_of"}]},
       {"in": [{"var": "context.network"}, ["corp", "vpn"]]},
       {"has": "context.mfa"},
       {">=": [{"var": "subject.entity.clearance"}, 2]},
       {"starts_with": [{"var": "subject.identity.spiffe_id"},
                        "spiffe://acme.example/"]},
       {"<": [{"var": "now.hour"}, 20]},
       {"flag_on": "docs-v2"}]},
     "unless": {"==": [{"var": "tenant.status"}, "suspended"]}}
  ]
})";

// Warden's facts as views of static strings; a denial when asked to.
class StaticFacts : public FactSource {
 public:
  explicit StaticFacts(bool deny) : deny_(deny) {}

  AttributeValue Lookup(FactRoot root,
                        std::span<const std::string> path) const override {
    if (path.size() != 1) return AttributeValue::Missing();
    if (root == FactRoot::kSubjectIdentity && path[0] == "spiffe_id") {
      return AttributeValue::String("spiffe://acme.example/ns/docs/sa/ui");
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
    return flag_key == "docs-v2";
  }
  bool Denial(BuiltInDenial* out) const override {
    if (!deny_) return false;
    *out = {"limit", "limit-7"};
    return true;
  }

 private:
  bool deny_;
};

struct Case {
  const char* body;
  const char* rule;  // basis kRule
  Decision::Basis basis;
  bool allowed;
  bool deny;  // the facts hold a built-in denial
};

const Case kCases[] = {
    // ann is an editor of the payments team: team-updates, the second
    // permit, after every forbid's and the first permit's conditions ran.
    {R"({"subject": {"type": "user", "id": "ann",
                     "properties": {"tenant": "acme"}},
         "action": {"name": "docs:update"},
         "resource": {"type": "doc", "id": "d1",
                      "properties": {"tenant": "acme",
                                     "owner": "dave@acme.example",
                                     "classification": "internal"}},
         "context": {"network": "vpn", "mfa": true}})",
     "team-updates", Decision::Basis::kRule, true, false},
    // A restricted document: the forbid wins.
    {R"({"subject": {"type": "user", "id": "ann",
                     "properties": {"tenant": "acme"}},
         "action": {"name": "docs:update"},
         "resource": {"type": "doc", "id": "d1",
                      "properties": {"tenant": "acme",
                                     "classification": "restricted"}},
         "context": {"network": "corp", "mfa": true}})",
     "restricted", Decision::Basis::kRule, false, false},
    // bob reads through the viewer role; "roles" claimed by the caller
    // ("admin") count too, for delete.
    {R"({"subject": {"type": "user", "id": "bob",
                     "properties": {"tenant": "acme"}},
         "action": {"name": "docs:read"},
         "resource": {"type": "doc", "id": "d1",
                      "properties": {"tenant": "acme"}}})",
     nullptr, Decision::Basis::kRolePermission, true, false},
    {R"({"subject": {"type": "user", "id": "bob",
                     "properties": {"tenant": "acme", "roles": ["admin"]}},
         "action": {"name": "docs:delete"},
         "resource": {"type": "doc", "id": "d1",
                      "properties": {"tenant": "acme"}}})",
     nullptr, Decision::Basis::kRolePermission, true, false},
    // bob is not of the team and owns nothing: denied by default.
    {R"({"subject": {"type": "user", "id": "bob",
                     "properties": {"tenant": "acme"}},
         "action": {"name": "docs:update"},
         "resource": {"type": "doc", "id": "d1",
                      "properties": {"tenant": "acme"}},
         "context": {"network": "corp", "mfa": true}})",
     nullptr, Decision::Basis::kNoPermit, false, false},
    // A limit holds: denied before any rule.
    {R"({"subject": {"type": "user", "id": "ann"},
         "action": {"name": "docs:read"},
         "resource": {"type": "doc", "id": "d1"}})",
     nullptr, Decision::Basis::kBuiltInDenial, false, true},
};

bool Matches(const Decision& d, const Case& c) {
  if (d.basis != c.basis || d.allowed != c.allowed) return false;
  if (c.rule == nullptr) return d.rule == nullptr;
  return d.rule != nullptr && d.rule->id == c.rule;
}

TEST(ZeroAllocationDecideTest, EveryBasisOfDecision) {
  auto policy = CompilePolicyText(kPolicy);
  ASSERT_TRUE(policy.ok()) << policy.status().message();
  const PolicySet& set = **policy;
  std::vector<boost::json::value> bodies;
  std::vector<AccessRequest> requests;
  for (const Case& c : kCases) bodies.push_back(boost::json::parse(c.body));
  for (const boost::json::value& body : bodies) {
    AccessRequest request;
    Status status = ParseEvaluation(body.as_object(), &request);
    ASSERT_TRUE(status.ok()) << status.message();
    requests.push_back(request);
  }
  const StaticFacts facts(false), denying(true);

  const size_t n = requests.size();
  long before = g_allocations.load();
  int matched = 0;
  for (int round = 0; round < 100; ++round) {
    for (size_t i = 0; i < n; ++i) {
      Decision d = set.Decide(requests[i], kCases[i].deny ? denying : facts);
      matched += Matches(d, kCases[i]);
    }
  }
  long after = g_allocations.load();
  EXPECT_EQ(matched, static_cast<int>(100 * n));
  EXPECT_EQ(after - before, 0) << "allocations during decisions";

  // The counter works: explaining the first decision allocates.
  Decision d = set.Decide(requests[0], facts);
  before = g_allocations.load();
  boost::json::object reasons = ExplainDecision(set, requests[0], facts, d);
  EXPECT_GT(g_allocations.load() - before, 0);
  EXPECT_EQ(reasons.at("id").as_string(), "rule:team-updates");
}

}  // namespace
}  // namespace warden::policy
