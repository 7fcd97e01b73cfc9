#include "cli/html_report.h"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cstdio>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace warden::cli {
namespace {

namespace json = boost::json;

using Bars = std::vector<std::pair<std::string, int64_t>>;

// OWASP Non-Human Identities Top 10 (2025), in order.
constexpr std::array<std::pair<const char*, const char*>, 10> kOwaspNhi = {{
    {"NHI1", "Improper Offboarding"},
    {"NHI2", "Secret Leakage"},
    {"NHI3", "Vulnerable Third-Party NHI"},
    {"NHI4", "Insecure Authentication"},
    {"NHI5", "Overprivileged NHI"},
    {"NHI6", "Insecure Cloud Deployment Configurations"},
    {"NHI7", "Long-Lived Secrets"},
    {"NHI8", "Environment Isolation"},
    {"NHI9", "NHI Reuse"},
    {"NHI10", "Human Use of NHI"},
}};

constexpr const char* kSeverities[] = {"critical", "high", "medium", "low"};

struct Series {
  const char* key;
  const char* label;
  const char* color;
};
constexpr Series kShareSeries[] = {{"inventoried", "Inventoried", "#2b6cb0"},
                                   {"justified", "Justified", "#2f855a"},
                                   {"revocable", "Revocable", "#c05621"}};

// Chart geometry (SVG user units = CSS pixels).
constexpr int kChartWidth = 720;
constexpr int kBarLabelWidth = 330;
constexpr int kBarAreaWidth = 330;
constexpr int kBarRowHeight = 22;
constexpr int kLineHeight = 240;
constexpr int kLineLeft = 48, kLineRight = 16, kLineTop = 12, kLineBottom = 28;

constexpr char kStyle[] = R"css(
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;
color:#1a202c;max-width:60rem}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}
.shares{display:flex;gap:1rem}
.share{border:1px solid #cbd5e0;border-radius:6px;padding:.8rem 1.2rem}
.share b{display:block;font-size:1.8rem}
table{border-collapse:collapse;width:100%;font-size:.85rem}
th,td{border-bottom:1px solid #e2e8f0;padding:.3rem .5rem;text-align:left;
vertical-align:top}
th{background:#f7fafc}
.sev-critical{color:#9b2c2c;font-weight:bold}.sev-high{color:#c53030}
.sev-medium{color:#b7791f}.sev-low{color:#2c5282}
svg text{font-size:12px;fill:#2d3748}
.muted{color:#718096}
)css";

// "{}" (and "{:.1f}") placeholders of `pattern` replaced, in order, by the
// arguments: numbers in the "C" locale, doubles with one decimal.
std::string Piece(std::string_view text) { return std::string(text); }
std::string Piece(const char* text) { return text; }
std::string Piece(const std::string& text) { return text; }
std::string Piece(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.1f", value);
  return text;
}
template <typename Int>
requires std::is_integral_v<Int> std::string Piece(Int value) {
  return std::to_string(value);
}

template <typename... Args>
std::string Substitute(std::string_view pattern, const Args&... args) {
  const std::string pieces[] = {Piece(args)...};
  std::string out;
  size_t next = 0;
  for (size_t i = 0; i < pattern.size(); ++i) {
    size_t close = pattern[i] == '{' ? pattern.find('}', i) : pattern.npos;
    if (close == pattern.npos || next == std::size(pieces)) {
      out += pattern[i];
      continue;
    }
    out += pieces[next++];
    i = close;
  }
  return out;
}

int64_t CountOf(const json::value& value) {
  if (value.is_int64()) return value.get_int64();
  if (value.is_uint64()) return static_cast<int64_t>(value.get_uint64());
  if (value.is_double()) return static_cast<int64_t>(value.get_double());
  return 0;
}

double NumberOf(const json::value* value) {
  return value != nullptr && value->is_number() ? value->to_number<double>()
                                                : 0.0;
}

const json::object& ObjectOrEmpty(const json::value* value) {
  static const json::object kEmpty;
  return value != nullptr && value->is_object() ? value->get_object() : kEmpty;
}

const json::object& Member(const json::value& value, std::string_view key) {
  return ObjectOrEmpty(value.is_object() ? value.get_object().if_contains(key)
                                         : nullptr);
}

std::string Text(const json::object& object, std::string_view key) {
  const json::value* v = object.if_contains(key);
  if (v == nullptr || v->is_null()) return "-";
  if (v->is_string()) return std::string(v->get_string());
  return json::serialize(*v);
}

int SeverityRank(std::string_view severity) {
  for (int i = 0; i < 4; ++i) {
    if (severity == kSeverities[i]) return i;
  }
  return 4;
}

Bars SeverityBars(const json::object& by_severity) {
  Bars bars;
  for (const char* severity : kSeverities) {
    const json::value* v = by_severity.if_contains(severity);
    bars.emplace_back(severity, v != nullptr ? CountOf(*v) : 0);
  }
  for (const auto& [key, count] : by_severity) {
    if (SeverityRank(key) == 4) bars.emplace_back(key, CountOf(count));
  }
  return bars;
}

Bars OwnerBars(const json::object& by_owner) {
  Bars bars;
  for (const auto& [key, count] : by_owner) {
    bars.emplace_back(key, CountOf(count));
  }
  std::stable_sort(bars.begin(), bars.end(), [](const auto& a, const auto& b) {
    return a.second > b.second;
  });
  if (bars.size() > kReportMaxOwnerBars) {
    int64_t rest = 0;
    for (size_t i = kReportMaxOwnerBars; i < bars.size(); ++i) {
      rest += bars[i].second;
    }
    bars.resize(kReportMaxOwnerBars);
    bars.emplace_back("(other teams)", rest);
  }
  return bars;
}

Bars OwaspBars(const json::object& by_owasp) {
  Bars bars;
  for (const auto& [id, name] : kOwaspNhi) {
    const json::value* v = by_owasp.if_contains(id);
    bars.emplace_back(std::string(id) + " " + name,
                      v != nullptr ? CountOf(*v) : 0);
  }
  return bars;
}

// A horizontal bar chart: label, bar scaled to the largest count, count.
std::string BarChart(std::string_view title, const Bars& bars,
                     const char* color) {
  int64_t max = 1;
  for (const auto& bar : bars) max = std::max(max, bar.second);
  const int height = static_cast<int>(bars.size()) * kBarRowHeight + 8;
  std::string svg = Substitute(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" "
      "viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"{}\">\n",
      kChartWidth, height, kChartWidth, height, HtmlEscape(title));
  int y = 4;
  for (const auto& [label, count] : bars) {
    const int width = static_cast<int>(
        static_cast<double>(count) / static_cast<double>(max) * kBarAreaWidth);
    svg += Substitute(
        "<text x=\"0\" y=\"{}\">{}</text>"
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"14\" fill=\"{}\"/>"
        "<text x=\"{}\" y=\"{}\">{}</text>\n",
        y + 12, HtmlEscape(label), kBarLabelWidth, y + 1, width, color,
        kBarLabelWidth + width + 6, y + 12, count);
    y += kBarRowHeight;
  }
  return svg + "</svg>\n";
}

struct HistoryPoint {
  std::string taken_at;
  double shares[3] = {0, 0, 0};
};

std::vector<HistoryPoint> History(const json::value& maturity) {
  std::vector<HistoryPoint> points;
  const json::value* history =
      maturity.is_object() ? maturity.get_object().if_contains("history")
                           : nullptr;
  if (history == nullptr || !history->is_array()) return points;
  for (const json::value& item : history->get_array()) {
    if (!item.is_object()) continue;
    const json::object& o = item.get_object();
    HistoryPoint point;
    point.taken_at = Text(o, "taken_at");
    for (int i = 0; i < 3; ++i) {
      point.shares[i] =
          std::clamp(NumberOf(o.if_contains(kShareSeries[i].key)), 0.0, 1.0);
    }
    points.push_back(std::move(point));
  }
  std::stable_sort(
      points.begin(), points.end(),
      [](const auto& a, const auto& b) { return a.taken_at < b.taken_at; });
  return points;
}

std::string LineAxes() {
  const int plot_height = kLineHeight - kLineTop - kLineBottom;
  std::string svg;
  for (int percent = 0; percent <= 100; percent += 25) {
    const int y = kLineTop + plot_height - plot_height * percent / 100;
    svg += Substitute(
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#e2e8f0\"/>"
        "<text x=\"4\" y=\"{}\">{}%</text>\n",
        kLineLeft, y, kChartWidth - kLineRight, y, y + 4, percent);
  }
  return svg;
}

// The three shares over time, one polyline each, x by snapshot order.
std::string LineChart(const std::vector<HistoryPoint>& points) {
  if (points.empty()) {
    return "<p class=\"muted\">No maturity history yet: it is recorded by "
           "each posture sweep.</p>\n";
  }
  const int plot_width = kChartWidth - kLineLeft - kLineRight;
  const int plot_height = kLineHeight - kLineTop - kLineBottom;
  auto x_of = [&](size_t i) {
    return points.size() == 1
               ? kLineLeft + plot_width / 2.0
               : kLineLeft + plot_width * static_cast<double>(i) /
                                 static_cast<double>(points.size() - 1);
  };
  std::string svg = Substitute(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" "
      "viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"maturity shares over "
      "time\">\n",
      kChartWidth, kLineHeight, kChartWidth, kLineHeight);
  svg += LineAxes();
  for (int s = 0; s < 3; ++s) {
    std::string coordinates;
    for (size_t i = 0; i < points.size(); ++i) {
      coordinates +=
          Substitute("{:.1f},{:.1f} ", x_of(i),
                     kLineTop + plot_height * (1.0 - points[i].shares[s]));
    }
    svg += Substitute(
        "<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\" "
        "points=\"{}\"/>\n",
        kShareSeries[s].color, coordinates);
    if (points.size() == 1) {
      svg += Substitute(
          "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" "
          "fill=\"{}\"/>\n",
          x_of(0), kLineTop + plot_height * (1.0 - points[0].shares[s]),
          kShareSeries[s].color);
    }
    svg += Substitute(
        "<rect x=\"{}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{}\"/>"
        "<text x=\"{}\" y=\"{}\">{}</text>\n",
        kLineLeft + 130 * s, kLineHeight - 12, kShareSeries[s].color,
        kLineLeft + 130 * s + 14, kLineHeight - 3, kShareSeries[s].label);
  }
  const std::string first = points.front().taken_at.substr(0, 10);
  const std::string last = points.back().taken_at.substr(0, 10);
  svg += Substitute(
      "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{} to {}</text>\n",
      kChartWidth - kLineRight, kLineHeight - 3, HtmlEscape(first),
      HtmlEscape(last));
  return svg + "</svg>\n";
}

std::string CurrentShares(const json::value& maturity) {
  std::string html = "<div class=\"shares\">\n";
  for (const Series& series : kShareSeries) {
    const json::object& share = Member(maturity, series.key);
    html += Substitute(
        "<div class=\"share\">{}<b>{:.1f}%</b>"
        "<span class=\"muted\">{} of {}</span></div>\n",
        series.label, NumberOf(share.if_contains("share")) * 100,
        static_cast<int64_t>(NumberOf(share.if_contains("ok"))),
        static_cast<int64_t>(NumberOf(share.if_contains("total"))));
  }
  return html + "</div>\n";
}

std::string FindingsTable(const json::value& findings) {
  std::vector<const json::object*> rows;
  if (findings.is_array()) {
    for (const json::value& f : findings.get_array()) {
      if (f.is_object()) rows.push_back(&f.get_object());
    }
  }
  if (rows.empty()) {
    return "<p class=\"muted\">No unresolved findings.</p>\n";
  }
  std::stable_sort(rows.begin(), rows.end(), [](const auto* a, const auto* b) {
    return SeverityRank(Text(*a, "severity")) <
           SeverityRank(Text(*b, "severity"));
  });
  if (rows.size() > kReportTopFindings) rows.resize(kReportTopFindings);
  std::string html =
      "<table>\n<tr><th>Severity</th><th>Rule</th><th>OWASP NHI</th>"
      "<th>Owner</th><th>Subject</th><th>State</th><th>First seen</th></tr>\n";
  for (const json::object* f : rows) {
    const std::string severity = Text(*f, "severity");
    const std::string owasp = Text(*f, "owasp");
    std::string owasp_cell = HtmlEscape(owasp);
    if (!OwaspNhiName(owasp).empty()) {
      owasp_cell += " " + HtmlEscape(OwaspNhiName(owasp));
    }
    html += Substitute(
        "<tr><td class=\"sev-{}\">{}</td><td>{}</td><td>{}</td><td>{}</td>"
        "<td>{}</td><td>{}</td><td>{}</td></tr>\n",
        SeverityRank(severity) < 4 ? severity : "other", HtmlEscape(severity),
        HtmlEscape(Text(*f, "rule")), owasp_cell, HtmlEscape(Text(*f, "owner")),
        HtmlEscape(Text(*f, "subject")), HtmlEscape(Text(*f, "state")),
        HtmlEscape(Text(*f, "first_seen")));
  }
  return html + "</table>\n";
}

// U+FFFD REPLACEMENT CHARACTER, for control characters in the input.
constexpr char kReplacement[] = "\xEF\xBF\xBD";

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '\t':
      case '\n':
        out += c;
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          out += kReplacement;
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string_view OwaspNhiName(std::string_view id) {
  for (const auto& [entry, name] : kOwaspNhi) {
    if (id == entry) return name;
  }
  return {};
}

std::string RenderHtmlReport(const ReportData& data) {
  const json::object& summary = ObjectOrEmpty(&data.summary);
  const std::string scope =
      data.team.empty() ? "all teams" : "team " + data.team;
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width\">\n"
      // Nothing may load from elsewhere, even if a bug let markup through.
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
      "'none'; style-src 'unsafe-inline'\">\n";
  html += "<title>Warden posture report: " + HtmlEscape(scope) + "</title>\n";
  html += std::string("<style>") + kStyle + "</style>\n</head>\n<body>\n";
  html += "<h1>Warden posture report: " + HtmlEscape(scope) + "</h1>\n";
  html += "<p class=\"muted\">Generated " + HtmlEscape(data.generated_at) +
          ". Unresolved findings: " + HtmlEscape(Text(summary, "total")) +
          ".</p>\n";
  html += "<h2>Maturity</h2>\n" + CurrentShares(data.maturity);
  html += "<h2>Maturity over time</h2>\n" + LineChart(History(data.maturity));
  html +=
      "<h2>Unresolved findings by severity</h2>\n" +
      BarChart("findings by severity",
               SeverityBars(Member(data.summary, "by_severity")), "#c53030");
  html += "<h2>Unresolved findings by owner team</h2>\n" +
          BarChart("findings by owner team",
                   OwnerBars(Member(data.summary, "by_owner")), "#2b6cb0");
  html += "<h2>Unresolved findings by OWASP NHI Top 10 (2025)</h2>\n" +
          BarChart("findings by OWASP NHI entry",
                   OwaspBars(Member(data.summary, "by_owasp")), "#6b46c1");
  html += "<h2>Top findings</h2>\n" + FindingsTable(data.findings);
  return html + "</body>\n</html>\n";
}

json::object ReportJson(const ReportData& data) {
  return {{"generated_at", data.generated_at},
          {"team",
           data.team.empty() ? json::value(nullptr) : json::value(data.team)},
          {"summary", data.summary},
          {"maturity", data.maturity},
          {"findings", data.findings}};
}

}  // namespace warden::cli
