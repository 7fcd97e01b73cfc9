#include "discovery/secret_rules.h"

#include <map>
#include <set>

namespace warden::discovery {
namespace {

// A token stands alone: no word character right before or after it.
constexpr char kRe2Before[] = "(?:^|[^0-9A-Za-z_])(";
constexpr char kRe2After[] = ")(?:[^0-9A-Za-z_]|$)";
constexpr char kEreBefore[] = "(^|[^0-9A-Za-z_])(";
constexpr char kEreAfter[] = ")([^0-9A-Za-z_]|$)";
// Between the assigned name and the value: the rest of the identifier, an
// optional closing quote, an assignment operator, an optional opening
// quote ("TWILIO_AUTH_TOKEN=", "twilioToken: '", "'twilio_key' => \"").
// Blanks only, never a newline, so that a match stays on one line.
constexpr char kRe2Assign[] =
    "[0-9A-Za-z_.\\-]{0,30}['\"]?[ \\t]{0,3}(?:=>|:=|=|:)[ \\t]{0,5}['\"]?(";
constexpr char kEreAssign[] =
    "[0-9A-Za-z_.-]{0,30}['\"]?[[:space:]]{0,3}(=>|:=|=|:)[[:space:]]{0,5}['\""
    "]?(";

// RE2's budget per rule for its compiled program and DFA cache. The
// bounded repetitions of the assignment rules ({0,30}, {10,150}) make
// large DFAs; when the cache fills RE2 falls back to its much slower NFA.
constexpr int64_t kRuleRegexMaxMem = int64_t{32} << 20;

std::vector<std::string> Split(std::string_view text) {
  std::vector<std::string> parts;
  while (!text.empty()) {
    size_t bar = text.find('|');
    parts.emplace_back(text.substr(0, bar));
    if (bar == std::string_view::npos) break;
    text.remove_prefix(bar + 1);
  }
  return parts;
}

// (?i:...) is not ERE: spell each letter as a two-letter bracket.
std::string CaseInsensitiveEre(std::string_view word) {
  std::string out;
  for (char c : word) {
    if (c >= 'a' && c <= 'z') {
      out += std::string("[") + c + static_cast<char>(c - 32) + "]";
    } else {
      out += QuoteEre(std::string_view(&c, 1));
    }
  }
  return out;
}

void SetSeverity(SecretSeverity severity, SecretRule* rule) {
  switch (severity) {
    case SecretSeverity::kCritical:
      rule->security_severity = "9.0";
      rule->level = "error";
      break;
    case SecretSeverity::kHigh:
      rule->security_severity = "8.0";
      rule->level = "error";
      break;
    case SecretSeverity::kMedium:
      rule->security_severity = "6.0";
      rule->level = "warning";
      break;
    case SecretSeverity::kLow:
      rule->security_severity = "3.0";
      rule->level = "note";
      break;
  }
}

void SetHelp(SecretRule* rule) {
  constexpr char kRemedy[] =
      "Treat it as compromised: revoke or rotate it where it was issued, "
      "remove it from the file (and from version-control history if it was "
      "pushed), and load it at run time from a secret manager or the "
      "environment. If the value is a test fixture or a placeholder, mark "
      "the line with a `warden:allow` comment.";
  rule->help_text = "A " + rule->description +
                    " appears to be committed to the source tree. " + kRemedy;
  rule->help_markdown = "**" + rule->description + "** (`" + rule->id +
                        "`) appears to be committed to the source tree.\n\n" +
                        kRemedy;
}

Status Invalid(const SecretRuleSpec& spec, const std::string& why) {
  return Status(StatusCode::kInvalidArgument,
                "secret rule " + std::string(spec.id) + ": " + why);
}

// Fills the pattern, its grep form and the keywords from the spec's shape.
Status BuildPattern(const SecretRuleSpec& spec, SecretRule* rule) {
  std::string re2;
  if (spec.shape == SecretRuleShape::kRaw) {
    re2 = std::string(spec.regex);
    rule->ere = std::string(spec.ere);
  } else if (spec.shape == SecretRuleShape::kToken) {
    re2 = kRe2Before + rule->format.ToRe2() + kRe2After;
    rule->ere = kEreBefore + rule->format.ToEre() + kEreAfter;
    rule->keywords = rule->format.LeadingLiterals();
  } else {
    std::vector<std::string> names = Split(spec.context);
    if (names.empty()) return Invalid(spec, "no context names");
    rule->context = names.front();
    std::string re2_names;
    std::string ere_names;
    for (const std::string& name : names) {
      re2_names += (re2_names.empty() ? "" : "|") + RE2::QuoteMeta(name);
      ere_names += (ere_names.empty() ? "" : "|") + CaseInsensitiveEre(name);
    }
    re2 = "(?i:" + re2_names + ")" + kRe2Assign + rule->format.ToRe2() +
          kRe2After;
    rule->ere =
        "(" + ere_names + ")" + kEreAssign + rule->format.ToEre() + kEreAfter;
    rule->keywords = names;
  }
  if (!spec.keywords.empty()) rule->keywords = Split(spec.keywords);
  for (const std::string& keyword : rule->keywords) {
    bool explicit_keyword = !spec.keywords.empty();
    if (keyword.size() < (explicit_keyword ? 2u : 3u)) {
      return Invalid(spec, "keyword \"" + keyword + "\" too short");
    }
  }
  if (rule->keywords.empty()) return Invalid(spec, "no keywords");
  RE2::Options options;
  options.set_log_errors(false);
  options.set_dot_nl(spec.multiline);
  options.set_max_mem(kRuleRegexMaxMem);
  rule->regex = std::make_unique<RE2>(re2, options);
  if (!rule->regex->ok()) return Invalid(spec, rule->regex->error());
  if (rule->regex->NumberOfCapturingGroups() != 1) {
    return Invalid(spec, "pattern needs exactly one capture group");
  }
  return Status::Ok();
}

Result<SecretRule> CompileRule(const SecretRuleSpec& spec) {
  SecretRule rule;
  rule.id = std::string(spec.id);
  rule.description = std::string(spec.description);
  rule.min_entropy = spec.min_entropy;
  rule.generic = spec.generic;
  rule.multiline = spec.multiline;
  rule.require_digit = spec.require_digit;
  rule.keywords_in_pattern =
      spec.keywords.empty() || spec.shape == SecretRuleShape::kRaw;
  rule.shape = spec.shape;
  SetSeverity(spec.severity, &rule);
  SetHelp(&rule);
  Result<TokenFormat> format = TokenFormat::Parse(spec.format);
  if (!format.ok()) return Invalid(spec, format.status().message());
  rule.format = std::move(format).value();
  Status built = BuildPattern(spec, &rule);
  if (!built.ok()) return built;
  return rule;
}

}  // namespace

Result<std::unique_ptr<SecretRuleSet>> SecretRuleSet::Compile(
    const std::vector<SecretRuleSpec>& specs) {
  std::unique_ptr<SecretRuleSet> set(new SecretRuleSet());
  std::set<std::string, std::less<>> ids;
  std::map<std::string, size_t> keyword_index;
  std::vector<std::string> keywords;
  for (const SecretRuleSpec& spec : specs) {
    if (!ids.insert(std::string(spec.id)).second) {
      return Invalid(spec, "duplicate id");
    }
    Result<SecretRule> rule = CompileRule(spec);
    if (!rule.ok()) return rule.status();
    int index = static_cast<int>(set->rules_.size());
    for (const std::string& keyword : rule.value().keywords) {
      auto [it, added] = keyword_index.emplace(keyword, keywords.size());
      if (added) {
        keywords.push_back(keyword);
        set->keyword_rules_.emplace_back();
      }
      std::vector<int>& triggered = set->keyword_rules_[it->second];
      if (triggered.empty() || triggered.back() != index) {
        triggered.push_back(index);
      }
    }
    set->rules_.push_back(std::move(rule).value());
  }
  set->keyword_matcher_ = std::make_unique<KeywordMatcher>(keywords);
  return set;
}

int SecretRuleSet::IndexOf(std::string_view id) const {
  for (size_t i = 0; i < rules_.size(); ++i) {
    if (rules_[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

const SecretRuleSet& BuiltinSecretRules() {
  static const SecretRuleSet* const rules = [] {
    Result<std::unique_ptr<SecretRuleSet>> compiled =
        SecretRuleSet::Compile(SecretRuleTable());
    // The table is a compile-time constant covered by secret_rules_test.
    if (!compiled.ok()) std::abort();
    return std::move(compiled).value().release();
  }();
  return *rules;
}

std::string SampleSecretLine(const SecretRule& rule, std::mt19937_64& rng,
                             std::string* secret) {
  secret->clear();
  switch (rule.shape) {
    case SecretRuleShape::kRaw:
      return rule.format.Sample(rng);
    case SecretRuleShape::kToken: {
      *secret = rule.format.Sample(rng);
      // A token whose keyword is a provider name, not part of the token,
      // is only found next to that name.
      std::string lower = *secret;
      for (char& c : lower) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
      }
      for (const std::string& keyword : rule.keywords) {
        if (lower.find(keyword) != std::string::npos) {
          return "value = \"" + *secret + "\"";
        }
      }
      return rule.keywords.front() + "_value = \"" + *secret + "\"";
    }
    case SecretRuleShape::kAssigned:
      *secret = rule.format.Sample(rng);
      return rule.context + "_value = \"" + *secret + "\"";
  }
  return {};
}

}  // namespace warden::discovery
