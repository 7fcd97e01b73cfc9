// The exposure commands against a real `warden serve` child: flagd import
// and export round trip, and pulling a tenant's exposure with one
// `warden limit set` and lifting it.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>

#include "warden_process.h"

namespace warden::testing_cli {
namespace {

constexpr char kFlagd[] = R"({"flags": {
  "checkout": {"state": "ENABLED", "variants": {"on": true, "off": false},
               "defaultVariant": "on"},
  "banner": {"state": "DISABLED", "variants": {"a": "A", "b": "B"},
             "defaultVariant": "a"}}})";

boost::json::value Json(const CommandResult& r) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(r.out, ec);
  return ec ? boost::json::value() : value;
}

class ExposureCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    server_ = ServerProcess::Start(tmp_.path() + "/data", &error);
    ASSERT_NE(server_, nullptr) << error;
  }
  void TearDown() override {
    if (server_ != nullptr) {
      EXPECT_EQ(server_->Stop(), 0) << server_->Output();
    }
  }
  CommandResult Warden(std::vector<std::string> args) {
    args.insert(args.begin(), {"--server", server_->url(), "--token",
                               server_->admin_token()});
    return RunWarden(args);
  }
  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = tmp_.path() + "/" + name;
    std::ofstream(path) << text;
    return path;
  }

  TempDir tmp_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(ExposureCliTest, ImportExportRoundTrip) {
  CommandResult imported = Warden(
      {"flag", "import", "--env", "staging", Write("flags.json", kFlagd)});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_NE(imported.out.find("2 created"), std::string::npos) << imported.out;

  const std::string out = tmp_.path() + "/exported.json";
  CommandResult exported =
      Warden({"flag", "export", "--env", "staging", "--out", out});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  CommandResult again = Warden({"flag", "import", "--env", "production", out});
  ASSERT_EQ(again.exit_code, 0) << again.err;

  CommandResult listed =
      Warden({"-o", "json", "flag", "list", "--env", "production"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(Json(listed).at("items").as_array().size(), 2u) << listed.out;
  CommandResult banner =
      Warden({"-o", "json", "flag", "show", "--env", "production", "banner"});
  EXPECT_EQ(Json(banner).at("state").as_string(), "disabled") << banner.out;
  ASSERT_EQ(
      Warden({"flag", "enable", "--env", "production", "banner"}).exit_code, 0);
  banner =
      Warden({"-o", "json", "flag", "show", "--env", "production", "banner"});
  EXPECT_EQ(Json(banner).at("state").as_string(), "enabled") << banner.out;

  CommandResult bad = Warden({"flag", "import", "--env", "development",
                              Write("bad.json", R"({"flags": {"x": 1}})")});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("flags.x"), std::string::npos) << bad.err;
}

// Warnings on stderr, exit 0; --strict refuses
// the file (non-zero, the paths in the message) and imports nothing.
TEST_F(ExposureCliTest, ImportPrintsWarningsAndStrictRefuses) {
  const std::string file = Write("lenient.json", R"({"flags": {
    "ref": {"state": "ENABLED", "variants": {"on": true, "off": false},
            "defaultVariant": "off",
            "targeting": {"if": [{"$ref": "gone"}, "on", null]}},
    "semver": {"state": "ENABLED", "variants": {"on": true, "off": false},
               "defaultVariant": "off",
               "targeting": {"sem_ver": [{"var": "v"}, ">="]}}}})");
  CommandResult strict =
      Warden({"flag", "import", "--strict", "--env", "staging", file});
  EXPECT_NE(strict.exit_code, 0);
  EXPECT_NE(strict.err.find("flags.ref.targeting.if[0]"), std::string::npos)
      << strict.err;
  CommandResult listed =
      Warden({"-o", "json", "flag", "list", "--env", "staging"});
  EXPECT_TRUE(Json(listed).at("items").as_array().empty()) << listed.out;

  CommandResult imported = Warden({"flag", "import", "--env", "staging", file});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_NE(imported.out.find("2 created"), std::string::npos) << imported.out;
  EXPECT_EQ(imported.err,
            "warning: flags.ref.targeting.if[0]: unknown evaluator \"gone\": "
            "the flag answers PARSE_ERROR (as in flagd)\n"
            "warning: flags.semver.targeting.sem_ver: \"sem_ver\" takes 3 "
            "arguments, got 2: it evaluates to null, so the rule falls "
            "through (as in flagd)\n");
}

TEST_F(ExposureCliTest, LimitSetListLift) {
  ASSERT_EQ(
      Warden({"tenant", "add", "acme", "--attr", "plan=enterprise"}).exit_code,
      0);
  CommandResult set = Warden({"-o", "json", "limit", "set", "--tenant", "acme",
                              "--reason", "credential leak"});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  const std::string id(Json(set).at("id").as_string());
  EXPECT_EQ(Json(set).at("scope").as_string(), "tenant");

  CommandResult listed = Warden({"limit", "list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find(id), std::string::npos) << listed.out;

  CommandResult two_scopes = Warden(
      {"limit", "set", "--tenant", "acme", "--segment", "s", "--reason", "x"});
  EXPECT_NE(two_scopes.exit_code, 0);

  CommandResult lifted =
      Warden({"-o", "json", "limit", "lift", id, "--reason", "rotated"});
  ASSERT_EQ(lifted.exit_code, 0) << lifted.err;
  EXPECT_FALSE(Json(lifted).at("active").as_bool());
  CommandResult active = Warden({"-o", "json", "limit", "list"});
  EXPECT_TRUE(Json(active).at("items").as_array().empty()) << active.out;
  CommandResult shown = Warden({"-o", "json", "limit", "show", id});
  EXPECT_EQ(Json(shown).at("lift_reason").as_string(), "rotated");
}

// What acme sees and why, then a dry run of a kill switch on it: the flags
// it would turn off, and nothing set.
TEST_F(ExposureCliTest, TenantExposureAndLimitDryRun) {
  ASSERT_EQ(Warden({"flag", "import", "--env", "production",
                    Write("flags.json", kFlagd)})
                .exit_code,
            0);
  ASSERT_EQ(Warden({"tenant", "add", "acme"}).exit_code, 0);
  CommandResult table = Warden({"tenant", "exposure", "acme"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("BECAUSE"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("checkout"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("DISABLED"), std::string::npos) << table.out;
  CommandResult json = Warden(
      {"-o", "json", "tenant", "exposure", "acme", "--env", "production"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(Json(json).at("flags").as_array().size(), 2u) << json.out;
  EXPECT_NE(Warden({"tenant", "exposure", "nobody"}).exit_code, 0);

  CommandResult dry = Warden(
      {"limit", "set", "--tenant", "acme", "--reason", "drill", "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.out.find("dry run: nothing was changed"), std::string::npos)
      << dry.out;
  EXPECT_NE(dry.out.find("production/checkout"), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("for tenants: acme"), std::string::npos) << dry.out;
  CommandResult plan = Warden({"-o", "json", "limit", "set", "--tenant", "acme",
                               "--reason", "drill", "--dry-run"});
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_EQ(Json(plan).at("report").at("flags_turned_off").as_int64(), 1);
  CommandResult active = Warden({"-o", "json", "limit", "list"});
  EXPECT_TRUE(Json(active).at("items").as_array().empty()) << active.out;
}

}  // namespace
}  // namespace warden::testing_cli
