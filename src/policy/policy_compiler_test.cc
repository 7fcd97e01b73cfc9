#include "policy/policy_compiler.h"

#include <gtest/gtest.h>

namespace warden::policy {
namespace {

// The error a document gets, or "" when it compiles.
std::string ErrorOf(std::string_view text) {
  auto policy = CompilePolicyText(text);
  return policy.ok() ? "" : policy.status().message();
}

TEST(PolicyCompilerTest, ErrorsNameThePathOfTheOffendingPart) {
  EXPECT_EQ(ErrorOf(R"({"roles":{"a":{"inherits":["b"]}}})"),
            "roles.a.inherits[0]: unknown role \"b\"");
  EXPECT_EQ(ErrorOf(R"({"rules":[{"effect":"allow"}]})"),
            "rules[0].effect: must be \"permit\" or \"forbid\"");
  EXPECT_EQ(ErrorOf(R"({"rules":[{"effect":"permit",
      "when":{"and":[true,{"==":[1]}]}}]})"),
            "rules[0].when.and[1].==: takes 2 argument(s)");
  EXPECT_EQ(ErrorOf(R"({"rules":[{"effect":"permit",
      "when":{"var":"subjct.id"}}]})"),
            "rules[0].when.var: unknown attribute \"subjct.id\" (paths start "
            "with subject.{type,id,properties,entity,identity}, "
            "resource.{type,id,properties,entity}, action.{name,properties}, "
            "context, caller, tenant, now)");
  EXPECT_EQ(ErrorOf(R"({"rules":[{"effect":"permit","unles":true}]})"),
            "rules[0].unles: unknown field");
  EXPECT_EQ(ErrorOf(R"({"rules":[{"effect":"permit",
      "when":{"has_role":"ghost"}}]})"),
            "rules[0].when.has_role: unknown role \"ghost\"");
}

TEST(PolicyCompilerTest, RefusesCyclesRepeatsAndEmptyPolicies) {
  EXPECT_EQ(ErrorOf(R"({"roles":{"a":{"inherits":["b"]},
      "b":{"inherits":["a"]}}})"),
            "roles.a: inheritance cycle through \"b\"");
  EXPECT_EQ(ErrorOf(R"({"roles":{"a":{"inherits":["a"]}}})"),
            "roles.a: inherits itself");
  EXPECT_EQ(ErrorOf(R"({"rules":[{"id":"x","effect":"permit"},
      {"id":"x","effect":"forbid"}]})"),
            "rules[1].id: repeats rule id \"x\"");
  EXPECT_EQ(ErrorOf(R"({"roles":{"r":{}},"entities":[
      {"type":"u","id":"1"},{"type":"u","id":"1"}]})"),
            "entities[1]: repeats entity u \"1\"");
  EXPECT_EQ(ErrorOf("{}"),
            "policy: grants nothing: it has neither rules nor roles");
  EXPECT_NE(ErrorOf("[1,"), "");
}

TEST(PolicyCompilerTest, BoundsConditionDepth) {
  std::string deep = "true";
  for (int i = 0; i < 40; ++i) deep = "{\"!\":" + deep + "}";
  std::string error =
      ErrorOf(R"({"rules":[{"effect":"permit","when":)" + deep + "}]}");
  EXPECT_NE(error.find("nested deeper than 32 levels"), std::string::npos)
      << error;
}

TEST(PolicyCompilerTest, ListsEveryActionItNames) {
  auto policy = CompilePolicyText(R"({"roles":{"r":{"permissions":["b"]}},
      "rules":[{"effect":"permit","actions":["a","b"]}]})");
  ASSERT_TRUE(policy.ok());
  EXPECT_EQ((*policy)->actions(), (std::vector<std::string>{"a", "b"}));
}

}  // namespace
}  // namespace warden::policy
