// The SARIF 2.1.0 log (OASIS Static Analysis Results Interchange Format,
// Version 2.1.0, Errata 01) of a secret scan, in the form GitHub code
// scanning accepts for upload: one run whose driver lists every rule with
// its remediation and "security-severity", one result per leaked-secret
// observation located by a repository-relative URI under the %SRCROOT%
// base id, with GitHub's primaryLocationLineHash so alerts survive edits
// elsewhere in the file. Scan issues become tool execution notifications.
// No secret value reaches the log: results carry the rule, the place, the
// secret's SHA-256 and a redacted preview only.
//
// Thread-safety: pure functions.
#ifndef WARDEN_DISCOVERY_SARIF_LOG_H_
#define WARDEN_DISCOVERY_SARIF_LOG_H_

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "discovery/observation.h"
#include "discovery/secret_rules.h"

namespace warden::discovery {

inline constexpr char kSarifSchemaUri[] =
    "https://json.schemastore.org/sarif-2.1.0.json";
inline constexpr char kSarifSourceRootId[] = "%SRCROOT%";

struct SarifToolInfo {
  std::string name = "warden";
  std::string version;          // the tool's semantic version, "0.1.0"
  std::string information_uri;  // absolute URI of the tool's documentation
  // Absolute "file:///..." URI of the scanned root, ending in '/'; empty
  // when unknown (the base id is then described, not resolved).
  std::string source_root_uri;
};

// The SARIF log for `report`'s kLeakedSecretKind observations made with
// `rules` (observations naming an unknown rule are left out).
boost::json::object SecretScanSarif(const ScanReport& report,
                                    const SecretRuleSet& rules,
                                    const SarifToolInfo& tool);

// `path` as a relative URI reference: forward slashes, every byte outside
// RFC 3986 unreserved characters and '/' percent-encoded.
std::string SarifRelativeUri(std::string_view path);

// "aws-access-token" -> "AwsAccessToken" (the SARIF rule name).
std::string SarifRuleName(std::string_view id);

}  // namespace warden::discovery

#endif  // WARDEN_DISCOVERY_SARIF_LOG_H_
