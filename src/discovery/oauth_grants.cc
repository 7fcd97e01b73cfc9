// JSON per RFC 8259 through Boost.JSON; timestamps per RFC 3339.
#include "discovery/oauth_grants.h"

#include <boost/json.hpp>
#include <charconv>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/time_format.h"
#include "discovery/file_walk.h"
#include "discovery/json_element_lines.h"

namespace warden::discovery {
namespace json = boost::json;
namespace {

constexpr std::string_view kSource = "oauth";

// Scope tokens never contain whitespace (RFC 6749 section 3.3), so an entry
// "a b" is two scopes; keeping it whole would break the space-separated
// attribute.
void AddScopeTokens(std::string_view text, std::set<std::string>& scopes) {
  std::istringstream words{std::string(text)};
  for (std::string word; words >> word;) scopes.insert(word);
}

// One grant as read, before merging.
struct Grant {
  std::string app;
  std::string app_id;
  std::string publisher;
  std::set<std::string> scopes;
  std::string granted_by;
  std::string granted_at;
  std::string verified_publisher;  // "true", "false" or empty
  std::string last_used_at;
};

// Reads one grant object; type problems become issues at its line.
class GrantReader {
 public:
  GrantReader(const json::object& object, std::string_view origin, int64_t line,
              ScanReport& report)
      : object_(object), origin_(origin), line_(line), report_(report) {}

  std::optional<Grant> Read() {
    Grant grant;
    const bool google =
        object_.contains("clientId") && !object_.contains("app");
    if (google) {
      grant.app_id = String("clientId");
      grant.app = String("displayText");
      if (grant.app.empty()) grant.app = grant.app_id;
      grant.granted_by = String("userKey");
    } else {
      grant.app = String("app");
      grant.app_id = String("app_id");
      grant.publisher = String("publisher");
      grant.granted_by = String("granted_by");
      grant.granted_at = Time("granted_at");
      grant.verified_publisher = Bool("verified_publisher");
      grant.last_used_at = Time("last_used_at");
    }
    grant.scopes = Scopes();
    if (grant.app.empty()) {
      Issue(google ? "token without clientId or displayText"
                   : "grant without \"app\"");
      return std::nullopt;
    }
    return grant;
  }

 private:
  void Issue(std::string message) {
    AddIssue(report_, origin_, line_, std::move(message));
  }

  std::string String(std::string_view field) {
    const json::value* value = object_.if_contains(field);
    if (value == nullptr || value->is_null()) return {};
    if (!value->is_string()) {
      Issue("\"" + std::string(field) + "\" must be a string");
      return {};
    }
    return std::string(value->get_string());
  }

  std::string Bool(std::string_view field) {
    const json::value* value = object_.if_contains(field);
    if (value == nullptr || value->is_null()) return {};
    if (!value->is_bool()) {
      Issue("\"" + std::string(field) + "\" must be true or false");
      return {};
    }
    return value->get_bool() ? "true" : "false";
  }

  std::string Time(std::string_view field) {
    const std::string text = String(field);
    if (text.empty()) return {};
    auto parsed = ParseRfc3339(text);
    if (!parsed.ok()) {
      Issue("\"" + std::string(field) + "\": " + parsed.status().message());
      return {};
    }
    return FormatRfc3339(*parsed);
  }

  std::set<std::string> Scopes() {
    std::set<std::string> scopes;
    const json::value* value = object_.if_contains("scopes");
    if (value == nullptr || value->is_null()) return scopes;
    if (value->is_string()) {
      AddScopeTokens(value->get_string(), scopes);
      return scopes;
    }
    if (value->is_array()) {
      bool all_strings = true;
      for (const json::value& scope : value->get_array()) {
        if (scope.is_string()) {
          AddScopeTokens(scope.get_string(), scopes);
        } else {
          all_strings = false;
        }
      }
      if (all_strings) return scopes;
    }
    Issue("\"scopes\" must be an array of strings or a string");
    return scopes;
  }

  const json::object& object_;
  std::string_view origin_;
  int64_t line_;
  ScanReport& report_;
};

std::string JoinSet(const std::set<std::string>& words, std::string_view sep) {
  std::string joined;
  for (const auto& word : words) {
    if (!joined.empty()) joined += sep;
    joined += word;
  }
  return joined;
}

std::set<std::string> SplitSet(std::string_view text, char sep) {
  std::set<std::string> words;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(sep, start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) words.emplace(text.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

// Grant observations already in a report, by key -> index.
using GrantIndex = std::map<std::string, size_t>;

GrantIndex IndexGrants(const ScanReport& report) {
  GrantIndex index;
  for (size_t i = 0; i < report.observations.size(); ++i) {
    if (report.observations[i].kind == kOAuthGrantKind) {
      index.emplace(report.observations[i].key, i);
    }
  }
  return index;
}

// Folds `grant` into the observation of its app, creating it when new.
void Merge(const Grant& grant, std::string location, GrantIndex& index,
           ScanReport& report) {
  const std::string key =
      (grant.app_id.empty() ? grant.app : grant.app_id) + "|" + grant.publisher;
  auto [slot, inserted] = index.emplace(key, report.observations.size());
  if (inserted) {
    Observation o;
    o.kind = kOAuthGrantKind;
    o.source = kSource;
    o.key = key;
    o.name = grant.app;
    o.location = std::move(location);
    o.attributes = {{"publisher", grant.publisher},
                    {"scopes", ""},
                    {"granted_by", ""},
                    {"granted_at", ""},
                    {"last_used_at", ""},
                    {"verified_publisher", ""},
                    {"grants", "0"}};
    report.observations.push_back(std::move(o));
  }
  auto& a = report.observations[slot->second].attributes;
  std::set<std::string> scopes = SplitSet(a["scopes"], ' ');
  scopes.insert(grant.scopes.begin(), grant.scopes.end());
  a["scopes"] = JoinSet(scopes, " ");
  std::set<std::string> users = SplitSet(a["granted_by"], ',');
  if (!grant.granted_by.empty()) users.insert(grant.granted_by);
  a["granted_by"] = JoinSet(users, ",");
  if (!grant.granted_at.empty() &&
      (a["granted_at"].empty() || grant.granted_at < a["granted_at"])) {
    a["granted_at"] = grant.granted_at;
  }
  if (grant.last_used_at > a["last_used_at"]) {
    a["last_used_at"] = grant.last_used_at;
  }
  if (grant.verified_publisher == "true" ||
      (grant.verified_publisher == "false" &&
       a["verified_publisher"].empty())) {
    a["verified_publisher"] = grant.verified_publisher;
  }
  int64_t count = 0;
  const std::string& previous = a["grants"];
  std::from_chars(previous.data(), previous.data() + previous.size(), count);
  a["grants"] = std::to_string(count + 1);
}

// Parses `text`; on a syntax error adds an issue at its line.
std::optional<json::value> ParseJson(std::string_view text,
                                     std::string_view origin,
                                     ScanReport& report) {
  json::parse_options options;
  options.max_depth = kMaxOAuthGrantsDepth;
  json::stream_parser parser(json::storage_ptr(), options);
  boost::system::error_code ec;
  const size_t consumed = parser.write(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) {
    AddIssue(report, origin, LineOfOffset(text, consumed),
             "invalid JSON: " + ec.message());
    return std::nullopt;
  }
  return parser.release();
}

}  // namespace

void ParseOAuthGrants(std::string_view text, std::string_view origin,
                      ScanReport& report) {
  std::optional<json::value> root = ParseJson(text, origin, report);
  if (!root) return;
  const json::array* grants = root->if_array();
  std::string_view member;
  if (const json::object* object = root->if_object()) {
    for (std::string_view name : {"grants", "items"}) {
      const json::value* value = object->if_contains(name);
      if (value != nullptr && value->is_array()) {
        grants = &value->get_array();
        member = name;
        break;
      }
    }
  }
  if (grants == nullptr) {
    AddIssue(report, origin, 1,
             "expected an array of grants, {\"grants\": [...]} or "
             "{\"items\": [...]}");
    return;
  }
  const std::vector<int64_t> lines = JsonArrayElementLines(text, member);
  GrantIndex index = IndexGrants(report);
  for (size_t i = 0; i < grants->size(); ++i) {
    const int64_t line = i < lines.size() ? lines[i] : 0;
    const json::object* object = (*grants)[i].if_object();
    if (object == nullptr) {
      AddIssue(report, origin, line, "a grant must be a JSON object");
      continue;
    }
    std::optional<Grant> grant =
        GrantReader(*object, origin, line, report).Read();
    if (grant) Merge(*grant, FileLocation(origin, line), index, report);
  }
}

ScanReport ScanOAuthGrants(const std::filesystem::path& path,
                           const ProgressCallback& progress) {
  ScanReport report;
  const auto is_json = [](const std::filesystem::path& p) {
    return p.extension() == ".json";
  };
  for (const auto& file :
       CollectFiles(path, kMaxOAuthGrantsBytes, report, is_json)) {
    std::optional<std::string> text = ReadScannedFile(file, report, progress);
    if (text) ParseOAuthGrants(*text, file.string(), report);
  }
  return report;
}

}  // namespace warden::discovery
