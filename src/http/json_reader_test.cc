#include "http/json_reader.h"

#include <gtest/gtest.h>

#include "api/resource_json.h"

namespace warden {
namespace {

TEST(ParseJsonObjectTest, RejectsMalformedJson) {
  Result<boost::json::object> r = ParseJsonObject("{\"a\": ");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().problem(), "malformed-json");
}

TEST(ParseJsonObjectTest, RejectsTrailingGarbage) {
  EXPECT_EQ(ParseJsonObject("{} x").status().problem(), "malformed-json");
}

TEST(ParseJsonObjectTest, RejectsNonObject) {
  EXPECT_EQ(ParseJsonObject("[1]").status().problem(), "wrong-type");
}

TEST(ParseJsonObjectTest, RejectsDeepNesting) {
  std::string deep =
      "{\"a\":" + std::string(100, '[') + std::string(100, ']') + "}";
  EXPECT_EQ(ParseJsonObject(deep).status().problem(), "malformed-json");
}

TEST(JsonObjectReaderTest, ReadsTypedFields) {
  auto object = ParseJsonObject(
      R"({"s": "x", "n": 7, "b": true, "a": ["p", "q"],
          "t": "2030-01-02T03:04:05Z"})");
  ASSERT_TRUE(object.ok());
  JsonObjectReader reader(*object);
  std::string s;
  std::optional<int64_t> n;
  bool b = false;
  std::vector<std::string> a;
  std::optional<Timestamp> t;
  reader.String("s", &s, Presence::kRequired);
  reader.Int("n", &n);
  reader.Bool("b", &b);
  reader.StringArray("a", &a);
  reader.Time("t", &t);
  ASSERT_TRUE(reader.Finish().ok()) << reader.Finish().ToString();
  EXPECT_EQ(s, "x");
  EXPECT_EQ(n, 7);
  EXPECT_TRUE(b);
  EXPECT_EQ(a, (std::vector<std::string>{"p", "q"}));
  ASSERT_TRUE(t.has_value());
}

TEST(JsonObjectReaderTest, WrongTypeNamesTheFieldPath) {
  auto object = ParseJsonObject(R"({"scopes": ["a:b", 3]})");
  ASSERT_TRUE(object.ok());
  JsonObjectReader reader(*object, "identity");
  std::vector<std::string> scopes;
  reader.StringArray("scopes", &scopes);
  Status status = reader.Finish();
  EXPECT_EQ(status.problem(), "wrong-type");
  EXPECT_NE(status.message().find("identity.scopes[1]"), std::string::npos)
      << status.message();
}

TEST(JsonObjectReaderTest, MissingRequiredField) {
  auto object = ParseJsonObject("{}");
  ASSERT_TRUE(object.ok());
  JsonObjectReader reader(*object);
  std::string name;
  reader.String("name", &name, Presence::kRequired);
  EXPECT_EQ(reader.Finish().problem(), "missing-field");
}

TEST(JsonObjectReaderTest, UnknownFieldIsRejected) {
  auto object = ParseJsonObject(R"({"name": "a", "nmae": "b"})");
  ASSERT_TRUE(object.ok());
  JsonObjectReader reader(*object);
  std::string name;
  reader.String("name", &name);
  Status status = reader.Finish();
  EXPECT_EQ(status.problem(), "unknown-field");
  EXPECT_NE(status.message().find("nmae"), std::string::npos);
}

TEST(JsonObjectReaderTest, IntRejectsFractionsAndStrings) {
  for (const char* text : {R"({"n": 1.5})", R"({"n": "1"})"}) {
    auto object = ParseJsonObject(text);
    ASSERT_TRUE(object.ok());
    JsonObjectReader reader(*object);
    std::optional<int64_t> n;
    reader.Int("n", &n);
    EXPECT_EQ(reader.Finish().problem(), "wrong-type") << text;
  }
}

TEST(JsonObjectReaderTest, EnumOutsideVocabularyIsInvalidValue) {
  auto object = ParseJsonObject(R"({"kind": "robot"})");
  ASSERT_TRUE(object.ok());
  JsonObjectReader reader(*object);
  std::optional<IdentityKind> kind;
  reader.Enum("kind", &kind, &ParseIdentityKind, &AllowedIdentityKinds);
  Status status = reader.Finish();
  EXPECT_EQ(status.problem(), "invalid-value");
  EXPECT_NE(status.message().find("service_account"), std::string::npos);
}

TEST(ResourceJsonTest, IdentityDraftRequiresCoreFields) {
  auto object = ParseJsonObject(R"({"name": "ci-bot"})");
  ASSERT_TRUE(object.ok());
  EXPECT_EQ(api::IdentityDraftFromJson(*object).status().problem(),
            "missing-field");
}

TEST(ResourceJsonTest, PatchNullRiskTierClearsDeclaration) {
  auto object = ParseJsonObject(R"({"risk_tier": null, "owner": "a"})");
  ASSERT_TRUE(object.ok());
  Result<inventory::IdentityPatch> patch = api::IdentityPatchFromJson(*object);
  ASSERT_TRUE(patch.ok()) << patch.status().ToString();
  EXPECT_TRUE(patch->clear_declared_risk_tier);
  EXPECT_FALSE(patch->risk_tier.has_value());
  EXPECT_EQ(patch->owner, "a");
}

TEST(ResourceJsonTest, IdentityRoundTripsFieldNames) {
  Identity identity;
  identity.id = "x";
  identity.scopes = {"a:read"};
  boost::json::object json = api::ToJson(identity);
  for (const char* field : {"id",
                            "name",
                            "kind",
                            "owner",
                            "application",
                            "environment",
                            "business_function",
                            "risk_tier",
                            "auth_method",
                            "scopes",
                            "rotation_days",
                            "expires_at",
                            "justification",
                            "vendor",
                            "tenant",
                            "external_id",
                            "sponsor",
                            "task_scope",
                            "status",
                            "created_at",
                            "updated_at",
                            "last_used_at",
                            "risk_reason",
                            "risk_tier_declared",
                            "status_reason",
                            "version"}) {
    EXPECT_TRUE(json.contains(field)) << field;
  }
  EXPECT_EQ(json.size(), 26u);
}

}  // namespace
}  // namespace warden
