// /v1 release-exposure routes end to end: flags (create, get, patch with
// If-Match, archive, import all-or-nothing, export), tenants, segments with
// bulk members, exposure limits set/list/lift, and the problem+json answer
// of bad input on each.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "../integration/server_fixture.h"

namespace warden::testing_http {
namespace {

constexpr char kFlagd[] = R"({"flags": {
  "checkout": {"state": "ENABLED", "variants": {"on": true, "off": false},
               "defaultVariant": "off",
               "targeting": {"if": [{"ends_with": [{"var": "email"}, "@acme.com"]}, "on", null]}},
  "color": {"state": "DISABLED", "variants": {"red": "red", "blue": "blue"},
            "defaultVariant": "red"}}})";

std::string Type(const std::string& slug) {
  return "urn:warden:problem:" + slug;
}

boost::json::object BoolFlag(const std::string& key) {
  return {{"key", key},
          {"variants", {{"on", true}, {"off", false}}},
          {"default_variant", "on"},
          {"off_variant", "off"},
          {"owner_team", "payments"},
          {"description", "new checkout"}};
}

class ExposureApiTest : public ServerFixture {
 protected:
  void ExpectProblem(const HttpReply& reply, int status,
                     const std::string& slug) {
    EXPECT_EQ(reply.status, status) << reply.body;
    EXPECT_EQ(reply.content_type(), "application/problem+json") << reply.body;
    EXPECT_EQ(reply.problem_type(), Type(slug)) << reply.body;
  }
};

TEST_F(ExposureApiTest, EnvironmentsExistFromTheFirstStart) {
  HttpReply reply = client_->Get("/v1/environments", admin_token_);
  ASSERT_EQ(reply.status, 200) << reply.body;
  const boost::json::value body = reply.json();
  const auto& items = body.at("items").as_array();
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].at("name").as_string(), "development");
  EXPECT_EQ(items[2].at("name").as_string(), "production");
  EXPECT_GE(items[2].at("revision").as_int64(), 1);
}

TEST_F(ExposureApiTest, FlagLifecycle) {
  HttpReply created = client_->Post("/v1/flags?environment=production",
                                    admin_token_, BoolFlag("checkout"));
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.header("location"), "/v1/flags/production/checkout");
  EXPECT_EQ(created.json().at("version").as_int64(), 1);
  EXPECT_EQ(created.json().at("state").as_string(), "enabled");

  HttpReply got = client_->Get("/v1/flags/production/checkout", admin_token_);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.json().at("description").as_string(), "new checkout");
  EXPECT_EQ(got.header("etag"), "\"1\"");
  EXPECT_FALSE(got.json().at("stale").as_bool());

  HttpReply stale =
      client_->Send("PATCH", "/v1/flags/production/checkout", admin_token_,
                    R"({"state":"disabled"})", {{"If-Match", "\"9\""}});
  ExpectProblem(stale, 409, "version-conflict");
  HttpReply patched =
      client_->Send("PATCH", "/v1/flags/production/checkout", admin_token_,
                    R"({"state":"disabled"})", {{"If-Match", "\"1\""}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.json().at("state").as_string(), "disabled");

  HttpReply listed =
      client_->Get("/v1/flags?environment=production", admin_token_);
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.json().at("items").as_array().size(), 1u);
  HttpReply other = client_->Get("/v1/flags?environment=staging", admin_token_);
  EXPECT_TRUE(other.json().at("items").as_array().empty());

  HttpReply archived =
      client_->Send("DELETE", "/v1/flags/production/checkout", admin_token_);
  EXPECT_EQ(archived.status, 204) << archived.body;
  ExpectProblem(client_->Get("/v1/flags/production/checkout", admin_token_),
                404, "not-found");
}

TEST_F(ExposureApiTest, FlagBadInputIsA4xxProblem) {
  ExpectProblem(client_->Send("POST", "/v1/flags?environment=production",
                              admin_token_, "{not json"),
                400, "malformed-json");
  boost::json::object typo = BoolFlag("checkout");
  typo["colour"] = "red";
  ExpectProblem(
      client_->Post("/v1/flags?environment=production", admin_token_, typo),
      400, "unknown-field");
  ExpectProblem(client_->Post("/v1/flags", admin_token_, BoolFlag("checkout")),
                400, "bad-query-parameter");
  ExpectProblem(client_->Post("/v1/flags?environment=moon", admin_token_,
                              BoolFlag("checkout")),
                400, "bad-query-parameter");
  boost::json::object bad_rule = BoolFlag("checkout");
  bad_rule["rules"] = boost::json::array{boost::json::object{
      {"variant", "on"},
      {"conditions",
       boost::json::array{boost::json::object{
           {"attribute", "plan"}, {"op", "fuzzy"}, {"value", "x"}}}}}};
  HttpReply op =
      client_->Post("/v1/flags?environment=production", admin_token_, bad_rule);
  ExpectProblem(op, 400, "invalid-value");
  EXPECT_NE(op.body.find("rules[0].conditions[0].op"), std::string::npos)
      << op.body;
  boost::json::object bad_variant = BoolFlag("checkout");
  bad_variant["default_variant"] = "maybe";
  EXPECT_EQ(
      client_
          ->Post("/v1/flags?environment=production", admin_token_, bad_variant)
          .status,
      400);
  ExpectProblem(client_->Get("/v1/flags/moon/checkout", admin_token_), 404,
                "not-found");
}

TEST_F(ExposureApiTest, ImportIsAllOrNothingAndExportRoundTrips) {
  HttpReply imported = client_->Send(
      "POST", "/v1/flags/import?environment=staging", admin_token_, kFlagd);
  ASSERT_EQ(imported.status, 200) << imported.body;
  EXPECT_EQ(imported.json().at("created").as_int64(), 2);

  std::string bad = kFlagd;
  bad.replace(bad.find("ends_with"), 9, "ends_wiht");
  HttpReply refused = client_->Send(
      "POST", "/v1/flags/import?environment=development", admin_token_, bad);
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_NE(refused.body.find("flags.checkout.targeting"), std::string::npos)
      << refused.body;
  HttpReply dev =
      client_->Get("/v1/flags?environment=development", admin_token_);
  EXPECT_TRUE(dev.json().at("items").as_array().empty()) << dev.body;

  HttpReply exported =
      client_->Get("/v1/flags/export?environment=staging", admin_token_);
  ASSERT_EQ(exported.status, 200) << exported.body;
  HttpReply again =
      client_->Send("POST", "/v1/flags/import?environment=development",
                    admin_token_, exported.body);
  ASSERT_EQ(again.status, 200) << again.body;
  HttpReply color = client_->Get("/v1/flags/development/color", admin_token_);
  ASSERT_EQ(color.status, 200);
  EXPECT_EQ(color.json().at("state").as_string(), "disabled");
}

TEST_F(ExposureApiTest, TenantsSegmentsAndLimits) {
  HttpReply tenant = client_->Post(
      "/v1/tenants", admin_token_,
      boost::json::object{{"key", "acme"},
                          {"name", "Acme Corp"},
                          {"attributes", {{"plan", "enterprise"}}},
                          {"integrations", {"salesforce"}}});
  ASSERT_EQ(tenant.status, 201) << tenant.body;
  ExpectProblem(client_->Post("/v1/tenants", admin_token_,
                              boost::json::object{{"key", "acme"}}),
                409, "already-exists");
  ExpectProblem(
      client_->Post("/v1/tenants", admin_token_,
                    boost::json::object{{"key", "x"}, {"attributes", "plan"}}),
      400, "wrong-type");
  HttpReply patched = client_->Send("PATCH", "/v1/tenants/acme", admin_token_,
                                    R"({"name": "ACME"})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.json().at("version").as_int64(), 2);
  EXPECT_EQ(patched.json().at("attributes").at("plan").as_string(),
            "enterprise");

  HttpReply segment = client_->Post(
      "/v1/segments", admin_token_,
      boost::json::object{{"key", "canary"}, {"tenants", {"acme"}}});
  ASSERT_EQ(segment.status, 201) << segment.body;
  boost::json::array many;
  for (int i = 0; i < 5000; ++i) many.emplace_back("t" + std::to_string(i));
  HttpReply added = client_->Post("/v1/segments/canary/tenants", admin_token_,
                                  boost::json::object{{"tenants", many}});
  ASSERT_EQ(added.status, 200) << added.body;
  EXPECT_EQ(added.json().at("added").as_int64(), 5000);
  HttpReply seg = client_->Get("/v1/segments/canary", admin_token_);
  EXPECT_EQ(seg.json().at("tenant_count").as_int64(), 5001);
  ExpectProblem(client_->Post("/v1/segments/nope/tenants", admin_token_,
                              boost::json::object{{"tenants", {"a"}}}),
                404, "not-found");

  HttpReply limit =
      client_->Post("/v1/limits", admin_token_,
                    boost::json::object{{"scope", "tenant"},
                                        {"values", {"acme"}},
                                        {"reason", "credential leak"}});
  ASSERT_EQ(limit.status, 201) << limit.body;
  const std::string id(limit.json().at("id").as_string());
  EXPECT_TRUE(limit.json().at("active").as_bool());
  ExpectProblem(client_->Post("/v1/limits", admin_token_,
                              boost::json::object{{"scope", "tenant"},
                                                  {"values", {"acme"}}}),
                400, "missing-field");
  HttpReply active = client_->Get("/v1/limits", admin_token_);
  EXPECT_EQ(active.json().at("items").as_array().size(), 1u);
  ExpectProblem(client_->Get("/v1/limits?status=maybe", admin_token_), 400,
                "bad-query-parameter");
  ExpectProblem(client_->Post("/v1/limits/" + id + "/lift", admin_token_,
                              boost::json::object{}),
                400, "missing-field");
  HttpReply lifted = client_->Post("/v1/limits/" + id + "/lift", admin_token_,
                                   boost::json::object{{"reason", "rotated"}});
  ASSERT_EQ(lifted.status, 200) << lifted.body;
  EXPECT_FALSE(lifted.json().at("active").as_bool());
  EXPECT_TRUE(client_->Get("/v1/limits", admin_token_)
                  .json()
                  .at("items")
                  .as_array()
                  .empty());
  HttpReply all = client_->Get("/v1/limits?status=all", admin_token_);
  EXPECT_EQ(all.json().at("items").as_array().size(), 1u);
  HttpReply one = client_->Get("/v1/limits/" + id, admin_token_);
  EXPECT_EQ(one.json().at("lift_reason").as_string(), "rotated");
  ExpectProblem(client_->Post("/v1/limits/" + id + "/lift", admin_token_,
                              boost::json::object{{"reason", "again"}}),
                409, "already-lifted");
}

// A file flagd loads imports; each problem comes
// back as a warning with its path, the flag evaluates as flagd answers it,
// and strict=true refuses the file naming the paths.
constexpr char kLenient[] = R"({"flags": {
  "ref": {"state": "ENABLED", "variants": {"hit": "hit", "off": "off"},
          "defaultVariant": "off",
          "targeting": {"if": [{"$ref": "nonexistent"}, "hit", null]}},
  "prefix": {"state": "ENABLED", "variants": {"hit": "hit", "off": "off"},
             "defaultVariant": "off",
             "targeting": {"if": [{"starts_with": ["abc"]}, "hit"]}},
  "version": {"state": "ENABLED", "variants": {"hit": "hit", "off": "off"},
              "defaultVariant": "off",
              "targeting": {"if": [{"sem_ver": [{"var": "v"}, ">=", "V1"]},
                                   "hit", null]}}}})";

TEST_F(ExposureApiTest, ImportReturnsWarningsAndStrictRefusesThem) {
  HttpReply strict =
      client_->Send("POST", "/v1/flags/import?environment=staging&strict=true",
                    admin_token_, kLenient);
  ExpectProblem(strict, 400, "import-warnings");
  EXPECT_NE(strict.body.find("flags.ref.targeting.if[0]"), std::string::npos)
      << strict.body;
  EXPECT_NE(strict.body.find("flags.prefix.targeting.if[0].starts_with"),
            std::string::npos)
      << strict.body;
  ExpectProblem(
      client_->Send("POST", "/v1/flags/import?environment=staging&strict=yes",
                    admin_token_, kLenient),
      400, "bad-query-parameter");

  HttpReply imported = client_->Send(
      "POST", "/v1/flags/import?environment=staging", admin_token_, kLenient);
  ASSERT_EQ(imported.status, 200) << imported.body;
  EXPECT_EQ(imported.json().at("warnings"), boost::json::parse(R"j([
      {"path": "flags.ref.targeting.if[0]",
       "message": "unknown evaluator \"nonexistent\": the flag answers PARSE_ERROR (as in flagd)"},
      {"path": "flags.prefix.targeting.if[0].starts_with",
       "message": "\"starts_with\" takes 2 arguments, got 1: it evaluates to null, so the rule falls through (as in flagd)"}])j"))
      << imported.body;
  EXPECT_EQ(imported.json().at("created").as_int64(), 3);

  auto evaluate = [&](const std::string& key, const std::string& context) {
    return client_->Send(
        "POST", "/ofrep/v1/evaluate/flags/" + key + "?environment=staging",
        admin_token_, R"({"context": )" + context + "}");
  };
  HttpReply ref = evaluate("ref", R"({"targetingKey": "acme"})");
  EXPECT_EQ(ref.status, 400) << ref.body;
  EXPECT_EQ(ref.json().at("errorCode").as_string(), "PARSE_ERROR");
  HttpReply prefix = evaluate("prefix", R"({"targetingKey": "acme"})");
  ASSERT_EQ(prefix.status, 200) << prefix.body;
  EXPECT_EQ(prefix.json().at("reason").as_string(), "DEFAULT");
  EXPECT_EQ(prefix.json().at("variant").as_string(), "off");
  HttpReply version =
      evaluate("version", R"({"targetingKey": "acme", "v": 1.5})");
  ASSERT_EQ(version.status, 200) << version.body;
  EXPECT_EQ(version.json().at("variant").as_string(), "hit");
}

// Under a limit a boolean flag is false whatever its
// default; creation asks a non-boolean flag for its off variant; the
// limit's answer lists every flag it could not turn off.
TEST_F(ExposureApiTest, ALimitMeansOff) {
  boost::json::object on = BoolFlag("checkout");
  on.erase("off_variant");  // the default variant is "on"
  ASSERT_EQ(client_->Post("/v1/flags?environment=production", admin_token_, on)
                .status,
            201);
  const boost::json::object banner{{"key", "banner"},
                                   {"type", "string"},
                                   {"variants", {{"red", "r"}, {"blue", "b"}}},
                                   {"default_variant", "red"}};
  ExpectProblem(
      client_->Post("/v1/flags?environment=production", admin_token_, banner),
      400, "off-variant-required");
  HttpReply imported = client_->Send(
      "POST", "/v1/flags/import?environment=production", admin_token_,
      R"({"flags": {"banner": {"state": "ENABLED",
          "variants": {"red": "r", "blue": "b"}, "defaultVariant": "red"}}})");
  ASSERT_EQ(imported.status, 200) << imported.body;
  EXPECT_EQ(imported.json().at("warnings").at(0).at("path").as_string(),
            "flags.banner.variants");

  HttpReply limit =
      client_->Post("/v1/limits", admin_token_,
                    boost::json::object{{"scope", "tenant"},
                                        {"values", {"acme"}},
                                        {"environment", "production"},
                                        {"reason", "incident"}});
  ASSERT_EQ(limit.status, 201) << limit.body;
  // The flag part of the report (tokens and timings: limit_revocation_test).
  boost::json::object report = limit.json().at("report").as_object();
  for (const char* other :
       {"tokens_revoked", "rotations_queued", "timings_us"}) {
    EXPECT_EQ(report.erase(other), 1u) << other;
  }
  EXPECT_EQ(report, boost::json::parse(R"j({
      "flags_turned_off": 1,
      "not_turned_off": [{"environment": "production", "flag": "banner",
          "reason": "string flag without an off variant: serves its default variant \"red\" with reason LIMITED"}],
      "not_turned_off_omitted": 0})j"))
      << limit.body;

  HttpReply checkout = client_->Send(
      "POST", "/ofrep/v1/evaluate/flags/checkout?environment=production",
      admin_token_, R"({"context": {"targetingKey": "acme"}})");
  ASSERT_EQ(checkout.status, 200) << checkout.body;
  EXPECT_EQ(checkout.json().at("reason").as_string(), "LIMITED");
  EXPECT_EQ(checkout.json().at("value"), false);
  EXPECT_EQ(checkout.json().at("variant").as_string(), "off");
}

}  // namespace
}  // namespace warden::testing_http
