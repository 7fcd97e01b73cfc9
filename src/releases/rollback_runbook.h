// The pre-staged rollback of a release: the ordered steps that take its
// exposure back (flags to turn off, then tokens to revoke, then static
// secrets to rotate), generated from what the release depends on, and a
// dry run that checks every step could be carried out now without doing
// it. Stored with the release (ReleaseRecord::runbook_json):
//   {"generated_at", "steps": [{"order", "action", "target", "detail"}],
//    "dry_run": {"at", "ok", "results": [{"order", "ok", "detail"}]}}
#ifndef WARDEN_RELEASES_ROLLBACK_RUNBOOK_H_
#define WARDEN_RELEASES_ROLLBACK_RUNBOOK_H_

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "releases/release_dependencies.h"
#include "store/store.h"

namespace warden::releases {

// Step actions.
inline constexpr char kTurnOffFlag[] = "turn_off_flag";
inline constexpr char kRevokeTokens[] = "revoke_tokens";
inline constexpr char kRotateSecret[] = "rotate_secret";

struct RunbookStep {
  int order = 0;
  std::string action;
  std::string target;  // flag key, identity id, secret name
  std::string detail;
};

struct StepResult {
  int order = 0;
  bool ok = false;
  std::string detail;
};

struct Runbook {
  Timestamp generated_at{};
  std::vector<RunbookStep> steps;
  std::optional<Timestamp> dry_run_at;
  bool dry_run_ok = false;
  std::vector<StepResult> dry_run_results;

  // The identities whose revocation step passed the last dry run.
  std::vector<std::string> RevocableIdentities() const;
  // The secrets the runbook rotates (for a limit on the release).
  std::vector<std::string> SecretsToRotate() const;
};

Runbook GenerateRunbook(const ReleaseRecord& release,
                        const ReleaseDependencies& deps, Timestamp now);

// Checks each step against the store as it is now: the flag exists in the
// release's environment, the identity exists and can still be revoked,
// the secret exists with a current version. Fills the dry-run members.
Status DryRun(Transaction& tx, const ReleaseRecord& release, Runbook& runbook,
              Timestamp now);

boost::json::object RunbookToJson(const Runbook& runbook);
// The stored text back; an empty object is a runbook never generated.
Result<Runbook> RunbookFromText(std::string_view text);

}  // namespace warden::releases

#endif  // WARDEN_RELEASES_ROLLBACK_RUNBOOK_H_
