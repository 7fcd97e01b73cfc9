// FlagService::Import against the real SQLite store: who may change the
// environment's shared flag-set state, what an import leaves untouched,
// warnings and strict mode, and the off variants creation asks for; plus the
// report of a limit over such flags.
#include <gtest/gtest.h>

#include <algorithm>

#include "exposure/config_feed.h"
#include "exposure/exposure_publisher.h"
#include "exposure/flag_service.h"
#include "exposure/limit_service.h"
#include "service/service_test_env.h"

namespace warden::exposure {
namespace {

namespace json = boost::json;

constexpr char kShared[] = R"({"flags": {},
    "$evaluators": {"vip": {"==": [{"var": "tier"}, "gold"]}},
    "metadata": {"flagSetId": "shop"}})";

// An app_owner's own flag that $refs the shared evaluator.
std::string OwnFlag(const std::string& extra = "") {
  return R"({"flags": {"checkout": {"state": "ENABLED",
      "variants": {"on": true, "off": false}, "defaultVariant": "off",
      "targeting": {"if": [{"$ref": "vip"}, "on", null]},
      "metadata": {"owner": "payments"}}})" +
         extra + "}";
}

class FlagImportTest : public ServiceTestEnv {
 protected:
  void SetUp() override {
    ServiceTestEnv::SetUp();
    SeedTeam("payments");
    publisher_ = std::make_unique<ExposurePublisher>(*store_, feed_);
    flags_ = std::make_unique<FlagService>(*store_, *auditor_, *publisher_);
    limits_ = std::make_unique<LimitService>(*store_, *auditor_, *publisher_);
  }
  void TearDown() override {
    limits_.reset();
    flags_.reset();
    publisher_.reset();
    ServiceTestEnv::TearDown();
  }

  static Caller Owner() { return As(Role::kAppOwner, "olga", "payments"); }

  // The shared sections as an export shows them.
  json::object Exported(Environment env) {
    auto text = flags_->Export(Admin(), env);
    EXPECT_TRUE(text.ok()) << text.status().ToString();
    return text.ok() ? json::parse(*text).as_object() : json::object{};
  }

  ConfigFeed feed_;
  std::unique_ptr<ExposurePublisher> publisher_;
  std::unique_ptr<FlagService> flags_;
  std::unique_ptr<LimitService> limits_;
};

// Item 1: only flag_set.write (admin) changes $evaluators or flag-set
// metadata; a refusal comes before anything is written and is audited.
TEST_F(FlagImportTest, SharedFlagSetStateNeedsFlagSetWrite) {
  ASSERT_TRUE(flags_->Import(Admin(), Environment::kStaging, kShared).ok());
  const json::object before = Exported(Environment::kStaging);
  ASSERT_TRUE(before.contains("$evaluators"));

  for (const Caller& caller :
       {Owner(), As(Role::kAuditor, "aud"), As(Role::kSdk, "sdk"),
        As(Role::kSecurity, "sec"), As(Role::kAccountManager, "am")}) {
    SCOPED_TRACE(std::string(Name(caller.principal.role)));
    for (const char* body :
         {R"({"flags": {}, "$evaluators": {}})",
          R"({"flags": {}, "metadata": {"flagSetId": "mine"}})",
          R"({"flags": {}, "$evaluators": {"x": true}, "metadata": {}})"}) {
      Result<FlagImportSummary> refused = NotFound("not run");
      AuditRecord record = EXPECT_ONE_AUDIT_RECORD(
          { refused = flags_->Import(caller, Environment::kStaging, body); });
      EXPECT_EQ(refused.status().code(), StatusCode::kPermissionDenied);
      EXPECT_EQ(record.event.action, "flag.import");
      EXPECT_EQ(record.event.outcome, "deny");
    }
  }
  EXPECT_EQ(Exported(Environment::kStaging), before);
}

// Before anything is read: a caller without flag.write cannot even learn
// whether its file parses.
TEST_F(FlagImportTest, FlagWriteIsCheckedBeforeTheFileIsRead) {
  for (const Caller& caller : {As(Role::kAuditor, "aud"), As(Role::kSdk, "s"),
                               As(Role::kAppOwner, "teamless")}) {
    EXPECT_EQ(flags_->Import(caller, Environment::kStaging, "{not json")
                  .status()
                  .code(),
              StatusCode::kPermissionDenied);
    EXPECT_EQ(flags_->Import(caller, Environment::kStaging, R"({"flags": {}})")
                  .status()
                  .code(),
              StatusCode::kPermissionDenied);
  }
  EXPECT_TRUE(
      flags_->Import(Owner(), Environment::kStaging, R"({"flags": {}})").ok());
}

// A section the file lacks is left as stored (it used to be replaced by an
// empty one, silently dropping every flag's shared evaluator); an identical
// section is no change, so its owner may re-import an exported file.
TEST_F(FlagImportTest, AbsentOrIdenticalSectionsAreKept) {
  ASSERT_TRUE(flags_->Import(Admin(), Environment::kStaging, kShared).ok());
  const json::object shared = Exported(Environment::kStaging);

  auto own = flags_->Import(Owner(), Environment::kStaging, OwnFlag());
  ASSERT_TRUE(own.ok()) << own.status().ToString();
  EXPECT_FALSE(own->evaluators_changed);
  EXPECT_TRUE(own->warnings.empty());
  json::object after = Exported(Environment::kStaging);
  EXPECT_EQ(after.at("$evaluators"), shared.at("$evaluators"));
  EXPECT_EQ(after.at("metadata"), shared.at("metadata"));

  eval::EvaluationContext gold;
  gold.targeting_key = "acme";
  gold.attributes["tier"] = "gold";
  auto current = feed_.Current(Environment::kStaging);
  EXPECT_EQ(current->snapshot->Evaluate("checkout", gold).variant, "on");

  const std::string same =
      OwnFlag(R"(, "$evaluators": {"vip": {"==": [{"var": "tier"},
          "gold"]}}, "metadata": {"flagSetId": "shop"})");
  auto again = flags_->Import(Owner(), Environment::kStaging, same);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_FALSE(again->evaluators_changed);
  EXPECT_FALSE(again->metadata_changed);

  auto changed =
      flags_->Import(Owner(), Environment::kStaging,
                     OwnFlag(R"(, "$evaluators": {"vip": {"==": [1, 1]}})"));
  EXPECT_EQ(changed.status().code(), StatusCode::kPermissionDenied);
  const json::object details = Details(LastAudit());
  EXPECT_EQ(details.at("permission"), "flag_set.write");
}

// Item 12: warnings come back with the summary; strict mode refuses them
// naming the paths and changes nothing.
TEST_F(FlagImportTest, WarningsAndStrictMode) {
  const std::string file = R"({"flags": {"f": {"state": "ENABLED",
      "variants": {"a": "x", "off": "y"}, "defaultVariant": "a",
      "targeting": {"if": [{"$ref": "gone"}, "a", null]}}}})";
  auto strict = flags_->Import(Admin(), Environment::kDevelopment, file,
                               FlagImportOptions{.strict = true});
  ASSERT_EQ(strict.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(strict.status().problem(), "import-warnings");
  EXPECT_NE(strict.status().message().find("flags.f.targeting.if[0]"),
            std::string::npos)
      << strict.status().message();
  EXPECT_EQ(
      flags_->Get(Admin(), Environment::kDevelopment, "f").status().code(),
      StatusCode::kNotFound);

  auto lenient = flags_->Import(Admin(), Environment::kDevelopment, file);
  ASSERT_TRUE(lenient.ok()) << lenient.status().ToString();
  ASSERT_EQ(lenient->warnings.size(), 1u);
  EXPECT_EQ(lenient->warnings[0].path, "flags.f.targeting.if[0]");
  auto r = feed_.Current(Environment::kDevelopment)
               ->snapshot->Evaluate("f", eval::EvaluationContext{});
  EXPECT_EQ(r.error_code, eval::ErrorCode::kParseError);
}

wire::FlagSpec StringFlag(std::optional<std::string> off) {
  json::object json{{"key", "banner"},
                    {"type", "string"},
                    {"variants", {{"red", "r"}, {"blue", "b"}}},
                    {"default_variant", "red"}};
  if (off) json["off_variant"] = *off;
  Result<wire::FlagSpec> spec = wire::FlagSpecFromJson(json);
  EXPECT_TRUE(spec.ok()) << spec.status().ToString();
  return spec.ok() ? *spec : wire::FlagSpec{};
}

// Item 13: creation asks a non-boolean flag for its off variant.
TEST_F(FlagImportTest, CreationAsksForAnOffVariant) {
  auto refused = flags_->Create(Admin(), Environment::kProduction,
                                StringFlag(std::nullopt));
  EXPECT_EQ(refused.status().problem(), "off-variant-required");
  ASSERT_TRUE(
      flags_->Create(Admin(), Environment::kProduction, StringFlag("blue"))
          .ok());
  // Removing it through PATCH is refused; other patches are not held up.
  EXPECT_EQ(flags_
                ->Patch(Admin(), Environment::kProduction, "banner",
                        json::object{{"off_variant", nullptr}}, std::nullopt)
                .status()
                .problem(),
            "off-variant-required");
  EXPECT_TRUE(flags_
                  ->Patch(Admin(), Environment::kProduction, "banner",
                          json::object{{"description", "d"}}, std::nullopt)
                  .ok());
}

// Item 13: the limit's report lists every flag it could not turn off.
TEST_F(FlagImportTest, LimitReportListsFlagsItCouldNotTurnOff) {
  ASSERT_TRUE(flags_
                  ->Import(Admin(), Environment::kProduction,
                           R"({"flags": {
      "checkout": {"state": "ENABLED", "variants": {"on": true},
                   "defaultVariant": "on"},
      "colors": {"state": "ENABLED", "variants": {"red": "r", "blue": "b"},
                 "defaultVariant": "red"},
      "level": {"state": "ENABLED", "variants": {"low": 1, "none": 0},
                "defaultVariant": "low"},
      "old": {"state": "DISABLED", "variants": {"a": "a", "b": "b"},
              "defaultVariant": "a"}}})")
                  .ok());
  LimitRequest request;
  request.scope = "tenant";
  request.values = {"acme"};
  request.reason = "incident";
  LimitReport report;
  auto limit = limits_->Set(Admin(), request, &report);
  ASSERT_TRUE(limit.ok()) << limit.status().ToString();
  EXPECT_EQ(report.flags_turned_off, 2);  // checkout (false), level (none)
  ASSERT_EQ(report.not_turned_off.size(), 1u);
  EXPECT_EQ(report.not_turned_off[0].environment, Environment::kProduction);
  EXPECT_EQ(report.not_turned_off[0].flag, "colors");
  EXPECT_EQ(report.not_turned_off[0].reason,
            "string flag without an off variant: serves its default variant "
            "\"red\" with reason LIMITED");
  std::vector<AuditRecord> log = AuditLog();
  auto set = std::find_if(log.rbegin(), log.rend(), [](const AuditRecord& r) {
    return r.event.action == "limit.set";
  });
  ASSERT_NE(set, log.rend());
  EXPECT_EQ(Details(*set).at("flags_not_turned_off"), 1);

  eval::EvaluationContext acme;
  acme.targeting_key = "acme";
  auto current = feed_.Current(Environment::kProduction);
  auto checkout = current->snapshot->Evaluate("checkout", acme);
  EXPECT_EQ(checkout.reason, eval::Reason::kLimited);
  ASSERT_NE(checkout.value, nullptr);
  EXPECT_EQ(*checkout.value, false);
  EXPECT_EQ(current->snapshot->Evaluate("level", acme).variant, "none");
  EXPECT_EQ(current->snapshot->Evaluate("colors", acme).variant, "red");
}

}  // namespace
}  // namespace warden::exposure
