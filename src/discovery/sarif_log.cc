#include "discovery/sarif_log.h"

#include <boost/json/array.hpp>
#include <cstdlib>

namespace warden::discovery {
namespace {

namespace json = boost::json;

json::object Text(std::string_view text) { return {{"text", text}}; }

json::object RuleToSarif(const SecretRule& rule) {
  json::array tags = {"security", "secret", "external/cwe/cwe-798"};
  return {
      {"id", rule.id},
      {"name", SarifRuleName(rule.id)},
      {"shortDescription", Text(rule.description + " committed to source")},
      {"fullDescription", Text(rule.help_text)},
      {"help", {{"text", rule.help_text}, {"markdown", rule.help_markdown}}},
      {"defaultConfiguration", {{"level", rule.level}}},
      {"properties",
       {{"security-severity", rule.security_severity},
        {"precision", rule.generic ? "medium" : "high"},
        {"tags", std::move(tags)}}},
  };
}

std::string Attribute(const Observation& observation, const char* name) {
  auto it = observation.attributes.find(name);
  return it == observation.attributes.end() ? std::string() : it->second;
}

int64_t PositiveNumber(const std::string& text) {
  int64_t value = std::strtoll(text.c_str(), nullptr, 10);
  return value > 0 ? value : 1;
}

json::object ArtifactLocation(std::string_view path) {
  return {{"uri", SarifRelativeUri(path)}, {"uriBaseId", kSarifSourceRootId}};
}

json::object ResultToSarif(const Observation& observation,
                           const SecretRule& rule, int rule_index) {
  std::string file = Attribute(observation, "file");
  std::string line = Attribute(observation, "line");
  std::string fingerprint = Attribute(observation, "fingerprint");
  std::string message = rule.description + " committed in " + file + ":" +
                        line + " (preview " +
                        Attribute(observation, "preview") + ", SHA-256 " +
                        fingerprint.substr(0, 12) + "...).";
  json::object region = {
      {"startLine", PositiveNumber(line)},
      {"startColumn", PositiveNumber(Attribute(observation, "column"))}};
  json::object physical = {{"artifactLocation", ArtifactLocation(file)},
                           {"region", std::move(region)}};
  json::object result = {
      {"ruleId", rule.id},
      {"ruleIndex", rule_index},
      {"level", rule.level},
      {"message", Text(message)},
      {"locations",
       json::array{json::object{{"physicalLocation", std::move(physical)}}}},
      {"properties",
       {{"secretSha256", fingerprint},
        {"entropy", Attribute(observation, "entropy")}}},
  };
  std::string line_hash = Attribute(observation, "line_hash");
  if (!line_hash.empty()) {
    result["partialFingerprints"] = {{"primaryLocationLineHash", line_hash}};
  }
  return result;
}

json::object IssueToSarif(const ScanIssue& issue) {
  std::string path = issue.location.substr(0, issue.location.rfind(':'));
  return {
      {"level", "warning"},
      {"message", Text(issue.message)},
      {"locations", json::array{json::object{
                        {"physicalLocation",
                         {{"artifactLocation", ArtifactLocation(path)}}}}}},
  };
}

json::object OriginalUriBaseIds(const SarifToolInfo& tool) {
  json::object root;
  if (tool.source_root_uri.empty()) {
    root["description"] = Text("The root of the scanned source tree.");
  } else {
    root["uri"] = tool.source_root_uri;
  }
  return {{kSarifSourceRootId, std::move(root)}};
}

}  // namespace

std::string SarifRelativeUri(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string uri;
  for (char c : path) {
    unsigned char byte = static_cast<unsigned char>(c);
    if (c == '\\') c = '/';
    bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                      (c >= '0' && c <= '9') || c == '-' || c == '.' ||
                      c == '_' || c == '~' || c == '/';
    if (unreserved) {
      uri.push_back(c);
    } else {
      uri.push_back('%');
      uri.push_back(kHex[byte >> 4]);
      uri.push_back(kHex[byte & 0xF]);
    }
  }
  return uri;
}

std::string SarifRuleName(std::string_view id) {
  std::string name;
  bool upper = true;
  for (char c : id) {
    if (c == '-' || c == '_') {
      upper = true;
      continue;
    }
    name.push_back(upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 32)
                                                 : c);
    upper = false;
  }
  return name;
}

json::object SecretScanSarif(const ScanReport& report,
                             const SecretRuleSet& rules,
                             const SarifToolInfo& tool) {
  json::array sarif_rules;
  for (const SecretRule& rule : rules.rules()) {
    sarif_rules.push_back(RuleToSarif(rule));
  }
  json::object driver = {{"name", tool.name},
                         {"version", tool.version},
                         {"semanticVersion", tool.version},
                         {"rules", std::move(sarif_rules)}};
  if (!tool.information_uri.empty()) {
    driver["informationUri"] = tool.information_uri;
  }
  json::array results;
  for (const Observation& observation : report.observations) {
    if (observation.kind != kLeakedSecretKind) continue;
    int index = rules.IndexOf(observation.name);
    if (index < 0) continue;
    results.push_back(ResultToSarif(observation, rules.rules()[index], index));
  }
  json::array notifications;
  for (const ScanIssue& issue : report.issues) {
    notifications.push_back(IssueToSarif(issue));
  }
  json::object invocation = {
      {"executionSuccessful", true},
      {"toolExecutionNotifications", std::move(notifications)}};
  json::object run = {
      {"tool", {{"driver", std::move(driver)}}},
      {"originalUriBaseIds", OriginalUriBaseIds(tool)},
      {"columnKind", "utf16CodeUnits"},
      {"invocations", json::array{std::move(invocation)}},
      {"results", std::move(results)},
  };
  return {{"$schema", kSarifSchemaUri},
          {"version", "2.1.0"},
          {"runs", json::array{std::move(run)}}};
}

}  // namespace warden::discovery
