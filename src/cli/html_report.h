// The posture report as one self-contained HTML page: no scripts, fonts,
// stylesheets or images from elsewhere; inline CSS and inline SVG charts
// (unresolved findings by severity, by owner team and by OWASP NHI Top 10
// entry; the three maturity shares over time), the current shares and a
// table of the top findings. Pure functions of their input.
//
// Every text taken from the input (team, identity and rule names, evidence)
// is HTML-escaped: names are chosen by users and the page is opened in a
// browser.
#ifndef WARDEN_CLI_HTML_REPORT_H_
#define WARDEN_CLI_HTML_REPORT_H_

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

namespace warden::cli {

// Findings listed in the table, most severe first.
inline constexpr size_t kReportTopFindings = 50;
// Owner teams charted; the rest are summed as "other teams".
inline constexpr size_t kReportMaxOwnerBars = 15;

struct ReportData {
  std::string team;             // the scope, empty for all teams
  std::string generated_at;     // RFC 3339
  boost::json::value summary;   // GET /v1/findings/summary?state=unresolved
  boost::json::value maturity;  // GET /v1/maturity?history=90
  boost::json::value findings;  // array: the first unresolved findings
};

// Escapes &, <, >, " and ' (HTML Living Standard §13.1.2.6 would need only
// some of them, but one function for text and attribute values is safer);
// control characters other than tab and newline become U+FFFD.
std::string HtmlEscape(std::string_view text);

std::string RenderHtmlReport(const ReportData& data);

// The same data as one JSON document: {"generated_at", "team", "summary",
// "maturity", "findings"}.
boost::json::object ReportJson(const ReportData& data);

// The official name of an OWASP NHI Top 10 (2025) entry ("NHI7" → "Long-Lived
// Secrets"); empty for anything else.
std::string_view OwaspNhiName(std::string_view id);

}  // namespace warden::cli

#endif  // WARDEN_CLI_HTML_REPORT_H_
