// /metrics read by a real Prometheus parser (the reference Python client's,
// Debian python3-prometheus-client, through parse_prometheus.py), after
// real work: identities created, a token issued and introspected, failed
// authentications. And /readyz following the store.
#include <gtest/gtest.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <boost/json/parse.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "oauth_test_support.h"
#include "server/server_metrics.h"
#include "store/sqlite/fault_injector.h"

namespace warden::testing_http {
namespace {

using Labels = std::map<std::string, std::string>;

// Samples by name and labels, and family types by name, as the parser read
// them.
struct Exposition {
  std::map<std::pair<std::string, Labels>, double> samples;
  std::map<std::string, std::string> family_types;

  // The sample's value; NaN (and a test failure) when absent.
  double Value(const std::string& name, const Labels& labels = {}) const {
    auto it = samples.find({name, labels});
    if (it == samples.end()) {
      ADD_FAILURE() << "no sample " << name << " with " << labels.size()
                    << " labels";
      return std::nan("");
    }
    return it->second;
  }
  // The sum of every sample of `name` (whose label `match.first` is
  // `match.second`, when given).
  double Sum(const std::string& name,
             const std::pair<std::string, std::string>& match = {}) const {
    double sum = 0;
    for (const auto& [key, value] : samples) {
      if (key.first != name) continue;
      auto label = key.second.find(match.first);
      if (!match.first.empty() &&
          (label == key.second.end() || label->second != match.second)) {
        continue;
      }
      sum += value;
    }
    return sum;
  }
};

// Debian's interpreter, where python3-prometheus-client installs (a python3
// earlier on PATH, e.g. pyenv's, may lack it); WARDEN_PYTHON overrides.
std::string Python() {
  const char* python = getenv("WARDEN_PYTHON");
  return python != nullptr ? python : "/usr/bin/python3";
}

std::string SourceDir() {
  const char* dir = getenv("WARDEN_SOURCE_DIR");
  return dir != nullptr ? dir : ".";
}

// Runs the parser on `text`; fails the test when it refuses it.
Exposition Parse(const std::string& text) {
  const std::string file = testing::TempDir() + "warden_metrics_" +
                           std::to_string(getpid()) + ".txt";
  std::ofstream(file) << text;
  const std::string command = "'" + Python() + "' '" + SourceDir() +
                              "/tests/integration/parse_prometheus.py' '" +
                              file + "'";
  FILE* pipe = popen(command.c_str(), "r");
  EXPECT_NE(pipe, nullptr);
  std::string out;
  char buffer[4096];
  size_t n = 0;
  while (pipe != nullptr && (n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) {
    out.append(buffer, n);
  }
  const int status = pipe != nullptr ? pclose(pipe) : -1;
  std::filesystem::remove(file);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << "the Prometheus parser refused the exposition:\n"
      << text;
  Exposition parsed;
  if (out.empty()) return parsed;
  const boost::json::object json = boost::json::parse(out).as_object();
  for (const auto& family : json.at("families").as_array()) {
    parsed.family_types[std::string(family.at("name").as_string())] =
        std::string(family.at("type").as_string());
  }
  for (const auto& sample : json.at("samples").as_array()) {
    Labels labels;
    for (const auto& [key, value] : sample.at("labels").as_object()) {
      labels[std::string(key)] = std::string(value.as_string());
    }
    const boost::json::value& value = sample.at("value");
    parsed.samples[{std::string(sample.at("name").as_string()), labels}] =
        value.is_double() ? value.as_double() : std::nan("");
  }
  return parsed;
}

class MetricsTest : public OAuthFixture {
 protected:
  void Configure(server::ServerOptions& options) override {
    // Every scrape reads the store's counts (15 s in service).
    options.metrics_census_max_age = std::chrono::milliseconds(0);
  }

  Exposition Scrape() {
    HttpReply reply = client_->Get("/metrics");
    EXPECT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(reply.content_type(), "text/plain; version=0.0.4");
    return Parse(reply.body);
  }
};

TEST_F(MetricsTest, RealParserReadsValuesThatFollowTheWork) {
  const Exposition before = Scrape();
  // Every family carries a TYPE the parser understood.
  for (const auto& [name, type] : before.family_types) {
    EXPECT_NE(type, "unknown") << name;
  }
  EXPECT_EQ(before.Value("warden_build_info",
                         {{"version", std::string(server::BuildVersion())},
                          {"revision", std::string(server::BuildRevision())}}),
            1);
  EXPECT_GT(before.Value("process_resident_memory_bytes"), 0);
  EXPECT_GT(before.Value("process_open_fds"), 0);
  EXPECT_GT(before.Value("process_max_fds"), 0);
  EXPECT_GE(before.Value("process_cpu_seconds_total"), 0);
  EXPECT_GT(before.Value("process_start_time_seconds"), 1.7e9);
  EXPECT_EQ(before.family_types.at("process_cpu_seconds"), "counter");
  // The fixture registered one identity.
  EXPECT_EQ(before.Sum("warden_identities_by_status"), 1);
  EXPECT_EQ(before.Value("warden_oauth_tokens_issued_total",
                         {{"grant_type", "client_credentials"}}),
            0);
  EXPECT_EQ(before.Value("warden_stream_subscribers"), 0);
  EXPECT_EQ(
      before.Value("warden_config_in_sync", {{"environment", "production"}}),
      1);
  EXPECT_GE(
      before.Value("warden_config_revision", {{"environment", "production"}}),
      1);

  // The work.
  CreateIdentity("batch-1", "payments");
  CreateIdentity("batch-2", "payments");
  const std::string token = Token();
  ASSERT_FALSE(token.empty());
  EXPECT_TRUE(Active(token));
  EXPECT_FALSE(Active("not-a-token"));
  EXPECT_EQ(client_->Get("/v1/teams", "wdn_bogus").status, 401);
  EXPECT_EQ(client_->Get("/v1/teams").status, 401);
  EXPECT_EQ(RequestToken(id_, "wrong-secret").status, 401);
  CreateUserToken("alice", "account_manager");
  HttpReply tenant = client_->Post(
      "/v1/tenants", admin_token_,
      boost::json::object{{"key", "acme"},
                          {"name", "Acme"},
                          {"account_manager", "alice"},
                          {"integrations", boost::json::array{}}});
  ASSERT_EQ(tenant.status, 201) << tenant.body;
  HttpReply limit =
      client_->Post("/v1/limits", admin_token_,
                    boost::json::object{{"scope", "tenant"},
                                        {"values", boost::json::array{"acme"}},
                                        {"reason", "incident 7"}});
  ASSERT_EQ(limit.status, 201) << limit.body;

  const Exposition after = Scrape();
  EXPECT_EQ(after.Sum("warden_identities_by_status"), 3);
  EXPECT_EQ(after.Sum("warden_identities_by_risk_tier"), 3);
  EXPECT_EQ(after.Value("warden_identities_by_status", {{"status", "active"}}),
            3);
  EXPECT_EQ(after.Value("warden_exposure_limits_active", {{"scope", "tenant"}}),
            1);
  EXPECT_EQ(after.Value("warden_oauth_tokens_issued_total",
                        {{"grant_type", "client_credentials"}}),
            1);
  EXPECT_EQ(
      after.Value("warden_oauth_introspections_total", {{"active", "true"}}),
      1);
  EXPECT_EQ(
      after.Value("warden_oauth_introspections_total", {{"active", "false"}}),
      1);
  EXPECT_EQ(after.Value("warden_authentication_failures_total",
                        {{"credential", "api_token"}, {"reason", "rejected"}}),
            1);
  EXPECT_EQ(after.Value("warden_authentication_failures_total",
                        {{"credential", "api_token"}, {"reason", "missing"}}),
            1);
  EXPECT_EQ(
      after.Value("warden_authentication_failures_total",
                  {{"credential", "oauth_client"}, {"reason", "rejected"}}),
      1);
  // The limit republished every environment.
  EXPECT_GT(
      after.Value("warden_config_revision", {{"environment", "production"}}),
      before.Value("warden_config_revision", {{"environment", "production"}}));
  EXPECT_GE(after.Value("process_cpu_seconds_total"),
            before.Value("process_cpu_seconds_total"));
  EXPECT_GE(after.Value("warden_signing_key_age_seconds"), 0);
  EXPECT_EQ(
      after.Value(
          "warden_http_requests_total",
          {{"route", "/oauth/token"}, {"method", "POST"}, {"status", "200"}}),
      1);
}

class ReadinessTest : public ServerFixture {
 protected:
  void Configure(server::ServerOptions& options) override {
    options.store_faults = &faults_;
  }
  FaultInjector faults_;  // outlives the server (TearDown stops it first)
};

// name -> ok of a /readyz answer's "checks".
std::map<std::string, bool> Checks(const HttpReply& reply) {
  std::map<std::string, bool> checks;
  boost::json::value json = reply.json();
  if (!json.is_object() || !json.as_object().contains("checks")) return checks;
  for (const auto& check : json.at("checks").as_array()) {
    checks[std::string(check.at("name").as_string())] =
        check.at("ok").as_bool();
  }
  return checks;
}

TEST_F(ReadinessTest, FollowsTheStoreWhileLivenessStays) {
  HttpReply ready = client_->Get("/readyz");
  ASSERT_EQ(ready.status, 200) << ready.body;
  EXPECT_EQ(ready.json().at("status").as_string(), "ready");
  const std::map<std::string, bool> all_ok = {
      {"store", true}, {"signing_keys", true}, {"snapshot", true}};
  EXPECT_EQ(Checks(ready), all_ok);

  faults_.SetDiskFull(true);
  EXPECT_EQ(client_
                ->Post("/v1/teams", admin_token_,
                       boost::json::object{{"name", "ghost"}})
                .status,
            503);
  HttpReply not_ready = client_->Get("/readyz");
  EXPECT_EQ(not_ready.status, 503) << not_ready.body;
  EXPECT_EQ(not_ready.content_type(), "application/problem+json");
  EXPECT_EQ(not_ready.problem_type(), "urn:warden:problem:not-ready");
  EXPECT_NE(
      std::string(not_ready.json().at("detail").as_string()).find("store"),
      std::string::npos)
      << not_ready.body;
  EXPECT_FALSE(Checks(not_ready).at("store"));
  EXPECT_TRUE(Checks(not_ready).at("signing_keys"));
  EXPECT_EQ(client_->Get("/healthz").status, 200);  // alive, not ready

  faults_.SetDiskFull(false);
  EXPECT_EQ(client_
                ->Post("/v1/teams", admin_token_,
                       boost::json::object{{"name", "back"}})
                .status,
            201);
  HttpReply again = client_->Get("/readyz");
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(Checks(again), all_ok);
}

}  // namespace
}  // namespace warden::testing_http
