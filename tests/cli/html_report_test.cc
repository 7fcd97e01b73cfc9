// The HTML report as a pure function: escaping of user text, the OWASP NHI
// Top 10 in order with their names, nothing loaded from elsewhere; and the
// scan progress line's shortening.
#include "cli/html_report.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "cli/scan_progress.h"

namespace warden::cli {
namespace {

namespace json = boost::json;

ReportData SampleReport() {
  ReportData data;
  data.team = "<script>alert(1)</script>";
  data.generated_at = "2026-12-06T00:00:00Z";
  data.summary = json::parse(R"({"total": 3,
      "by_severity": {"high": 2, "low": 1},
      "by_owner": {"<b>ops</b>": 2, "pay\"ments": 1},
      "by_owasp": {"NHI7": 2, "NHI10": 1}})");
  data.maturity = json::parse(R"({
      "inventoried": {"share": 0.5, "ok": 1, "total": 2},
      "justified": {"share": 1.0, "ok": 2, "total": 2},
      "revocable": {"share": 0.0, "ok": 0, "total": 2},
      "history": [
        {"taken_at": "2026-12-05T00:00:00Z", "inventoried": 0.25,
         "justified": 1, "revocable": 0},
        {"taken_at": "2026-12-04T00:00:00Z", "inventoried": 0.1,
         "justified": 0.5, "revocable": 0}]})");
  data.findings = json::parse(R"([
      {"severity": "low", "rule": "r1", "owasp": "NHI1", "owner": "a",
       "subject": "x", "state": "open", "first_seen": "t"},
      {"severity": "high", "rule": "r2", "owasp": "NHI7", "owner": null,
       "subject": "<img src=x onerror=alert(1)>", "state": "open",
       "first_seen": "t"}])");
  return data;
}

TEST(HtmlReportTest, EscapesEveryUserText) {
  const std::string html = RenderHtmlReport(SampleReport());
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<b>ops"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"),
            std::string::npos);
  EXPECT_NE(html.find("&lt;b&gt;ops&lt;/b&gt;"), std::string::npos);
  EXPECT_NE(html.find("pay&quot;ments"), std::string::npos);
}

TEST(HtmlReportTest, IsSelfContained) {
  const std::string html = RenderHtmlReport(SampleReport());
  EXPECT_EQ(html.find("src=\""), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("<polyline"), std::string::npos);
}

TEST(HtmlReportTest, ChartsOwaspEntriesInOrderWithNames) {
  const std::string html = RenderHtmlReport(SampleReport());
  size_t previous = 0;
  for (const char* entry :
       {"NHI1 Improper Offboarding", "NHI2 Secret Leakage",
        "NHI3 Vulnerable Third-Party NHI", "NHI4 Insecure Authentication",
        "NHI5 Overprivileged NHI",
        "NHI6 Insecure Cloud Deployment Configurations",
        "NHI7 Long-Lived Secrets", "NHI8 Environment Isolation",
        "NHI9 NHI Reuse", "NHI10 Human Use of NHI"}) {
    size_t at = html.find(std::string(">") + entry + "<");
    ASSERT_NE(at, std::string::npos) << entry;
    EXPECT_GT(at, previous) << entry;
    previous = at;
  }
  EXPECT_EQ(OwaspNhiName("NHI7"), "Long-Lived Secrets");
  EXPECT_EQ(OwaspNhiName("NHI11"), "");
}

TEST(HtmlReportTest, ListsMostSevereFindingFirst) {
  const std::string html = RenderHtmlReport(SampleReport());
  EXPECT_LT(html.find(">r2<"), html.find(">r1<"));
}

TEST(HtmlReportTest, EmptyInputStillRenders) {
  ReportData empty;
  const std::string html = RenderHtmlReport(empty);
  EXPECT_NE(html.find("No unresolved findings"), std::string::npos);
  EXPECT_NE(html.find("No maturity history"), std::string::npos);
  json::object document = ReportJson(empty);
  EXPECT_TRUE(document.at("team").is_null());
}

TEST(HtmlEscapeTest, ReplacesControlCharacters) {
  EXPECT_EQ(HtmlEscape("a\x1b[2Jb"), "a\xEF\xBF\xBD[2Jb");
  EXPECT_EQ(HtmlEscape("'&'"), "&#39;&amp;&#39;");
}

TEST(ScanProgressLineTest, ShortensLongPathsFromTheLeft) {
  discovery::ScanProgress progress{1200, int64_t{34} << 20,
                                   std::string(200, 'a') + "/end.pem"};
  const std::string line = ScanProgressLine::Format(progress, 79);
  EXPECT_EQ(line.size(), 79u);
  EXPECT_TRUE(line.starts_with("scanned 1200 files, 34 MB: ...")) << line;
  EXPECT_TRUE(line.ends_with("/end.pem")) << line;
  progress.current = "x\ry";
  EXPECT_EQ(ScanProgressLine::Format(progress, 79),
            "scanned 1200 files, 34 MB: x?y");
}

}  // namespace
}  // namespace warden::cli
