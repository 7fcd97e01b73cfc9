// The secret rules: what a committed credential looks like, provider by
// provider, compiled once. Each rule has a stable id (the SARIF ruleId, in
// the naming other secret scanners use: "aws-access-token", "github-pat"),
// an RE2 pattern with exactly one capture group (the secret), lower-case
// keywords for the prefilter (a rule's pattern runs only where one of its
// keywords occurs), a minimum Shannon entropy of the captured secret, a
// severity and remediation text.
//
// Rule shapes:
//   kToken     a self-identifying token (a fixed prefix such as "ghp_"),
//              matched anywhere between non-word characters;
//   kAssigned  a value with no prefix of its own, matched only where it is
//              assigned to a name that mentions the provider
//              ("twilio_auth_token = '...'");
//   kRaw       a hand-written pattern (private key blocks, credentials in
//              URLs, the generic assignment rule).
//
// Thread-safety: SecretRuleSet is immutable after construction; RE2 objects
// are safe for concurrent matching.
#ifndef WARDEN_DISCOVERY_SECRET_RULES_H_
#define WARDEN_DISCOVERY_SECRET_RULES_H_

#include <re2/re2.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "discovery/keyword_matcher.h"
#include "discovery/token_format.h"

namespace warden::discovery {

enum class SecretRuleShape { kToken, kAssigned, kRaw };

// Maps to SARIF's "security-severity" (GitHub: >= 9.0 critical, >= 7.0
// high, >= 4.0 medium) and result level.
enum class SecretSeverity { kCritical, kHigh, kMedium, kLow };

// One row of the rule table (secret_rule_table.cc).
struct SecretRuleSpec {
  std::string_view id;
  std::string_view description;  // "AWS access key ID"
  SecretRuleShape shape;
  // kToken, kAssigned: the token layout (token_format.h). kRaw: the layout
  // of a whole sample line that the pattern must match.
  std::string_view format;
  // kAssigned: '|'-separated lower-case names the value is assigned to.
  std::string_view context;
  double min_entropy;  // bits per byte of the secret; 0 = no check
  SecretSeverity severity;
  // '|'-separated; overrides the derived ones. A kRaw rule's keywords must
  // occur in every match.
  std::string_view keywords = {};
  std::string_view regex = {};  // kRaw: RE2 with one capture group
  std::string_view ere = {};    // kRaw: grep -E form
  bool generic = false;        // dropped where a provider rule matched the same
  bool multiline = false;      // the secret may span lines (key blocks)
  bool require_digit = false;  // the secret must mix letters and digits
};

// The built-in table, about two hundred rows.
const std::vector<SecretRuleSpec>& SecretRuleTable();

struct SecretRule {
  std::string id;
  std::string description;
  std::string help_text;      // remediation, plain text
  std::string help_markdown;  // the same in Markdown
  std::vector<std::string> keywords;
  double min_entropy = 0;
  std::string security_severity;  // "9.0"
  std::string level;              // SARIF level: "error", "warning", "note"
  bool generic = false;
  bool multiline = false;
  bool require_digit = false;
  // Every match contains one of the keywords (derived keywords and raw
  // rules; not a token found only next to a provider's name). Such a rule
  // may run over several hit lines at once: its matches never span lines.
  bool keywords_in_pattern = true;
  SecretRuleShape shape = SecretRuleShape::kToken;
  std::unique_ptr<RE2> regex;  // one capture group: the secret
  std::string ere;             // the grep -E form (benchmark baseline)
  TokenFormat format;          // for samples
  std::string context;         // kAssigned: the first name, for samples
};

class SecretRuleSet {
 public:
  // Compiles `specs`. Returns kInvalidArgument naming the rule on a pattern
  // that does not compile, has other than one capture group, a format that
  // does not parse, no keyword, or a duplicate id.
  static Result<std::unique_ptr<SecretRuleSet>> Compile(
      const std::vector<SecretRuleSpec>& specs);

  const std::vector<SecretRule>& rules() const { return rules_; }
  // Index of rule `id`, or -1.
  int IndexOf(std::string_view id) const;
  const KeywordMatcher& keyword_matcher() const { return *keyword_matcher_; }
  // Rules (indices into rules()) triggered by keyword `keyword_index`.
  const std::vector<int>& RulesForKeyword(size_t keyword_index) const {
    return keyword_rules_[keyword_index];
  }

 private:
  SecretRuleSet() = default;

  // Immutable after construction.
  std::vector<SecretRule> rules_;
  std::unique_ptr<KeywordMatcher> keyword_matcher_;
  std::vector<std::vector<int>> keyword_rules_;
};

// The built-in table compiled on first use (the table is tested to
// compile, so this never fails).
const SecretRuleSet& BuiltinSecretRules();

// A random line that rule `rule` must report: a fake token in the rule's
// layout in an assignment the rule's context accepts. `secret` receives
// the token (empty for kRaw rules). For tests, fuzz seeds and benchmarks.
std::string SampleSecretLine(const SecretRule& rule, std::mt19937_64& rng,
                             std::string* secret);

}  // namespace warden::discovery

#endif  // WARDEN_DISCOVERY_SECRET_RULES_H_
