#include "http/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace warden {
namespace {

TEST(MetricsWriterTest, WritesFamiliesAndEscapedLabels) {
  std::string text;
  MetricsWriter writer(&text);
  writer.Family("warden_things", "gauge", "Things.");
  writer.Sample("warden_things", {{"name", "a\"b\\c\nd"}, {"tier", "low"}}, 2);
  writer.Sample("warden_things", 0.5);
  EXPECT_EQ(text,
            "# HELP warden_things Things.\n"
            "# TYPE warden_things gauge\n"
            "warden_things{name=\"a\\\"b\\\\c\\nd\",tier=\"low\"} 2\n"
            "warden_things 0.5\n");
}

TEST(MetricsWriterTest, SpellsNonFiniteValuesAsTheFormatDoes) {
  std::string text;
  MetricsWriter writer(&text);
  writer.Sample("a", std::numeric_limits<double>::infinity());
  writer.Sample("b", -std::numeric_limits<double>::infinity());
  writer.Sample("c", std::nan(""));
  EXPECT_EQ(text, "a +Inf\nb -Inf\nc NaN\n");
}

TEST(MetricsTest, CollectorsFollowTheBuiltInFamilies) {
  Metrics metrics;
  int calls = 0;
  metrics.AddCollector([&calls](MetricsWriter& out) {
    ++calls;
    out.Family("warden_audit_sink_lag_records", "gauge", "Lag.");
    out.Sample("warden_audit_sink_lag_records", {{"sink", "siem"}}, 7);
  });
  metrics.OnAuthenticationFailure("api_token", "invalid");
  metrics.OnAuthenticationFailure("api_token", "invalid");
  const std::string text = metrics.Render();
  EXPECT_EQ(calls, 1);
  const size_t builtin = text.find(
      "warden_authentication_failures_total{credential=\"api_token\","
      "reason=\"invalid\"} 2\n");
  const size_t collected =
      text.find("warden_audit_sink_lag_records{sink=\"siem\"} 7\n");
  ASSERT_NE(builtin, std::string::npos) << text;
  ASSERT_NE(collected, std::string::npos) << text;
  EXPECT_LT(builtin, collected);
}

}  // namespace
}  // namespace warden
