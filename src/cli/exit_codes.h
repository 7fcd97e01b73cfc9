// Exit codes of the `warden` command line. Scripts rely on them; they are
// part of the CLI contract and must not be renumbered.
//
//   0  ok
//   1  usage error: unknown or missing command (a bare `warden` prints the
//      command list), bad or missing flag (CLI11 parse error)
//   2  not found: the named team, identity, user, token or exception (404)
//   3  conflict / failed precondition: name taken, version mismatch, illegal
//      lifecycle transition, team in use, self-approval refused (409, 412)
//   4  authentication or authorization: missing/invalid token (401) or the
//      token's role may not do this (403)
//   5  invalid input: validation failed, malformed value, body too large
//      (400, 413, 422)
//   6  server or transport unavailable: cannot connect, timed out, 502-504,
//      rate limited (429); retrying later may help
//   7  audit chain broken: `warden audit verify` found a record whose hash
//      or link does not match
//  10  internal: a bug on either side (500, malformed response)
//
// Exactly one function, ExitCodeFor(), maps a Status to an exit code; HTTP
// answers are first turned into a Status by StatusCodeFromHttp().
#ifndef WARDEN_CLI_EXIT_CODES_H_
#define WARDEN_CLI_EXIT_CODES_H_

#include "core/status.h"

namespace warden::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitUsage = 1,
  kExitNotFound = 2,
  kExitConflict = 3,
  kExitAuth = 4,
  kExitInvalidInput = 5,
  kExitUnavailable = 6,
  kExitAuditChainBroken = 7,
  kExitInternal = 10,
};

// The problem slug that marks a broken audit chain (exit 7).
inline constexpr char kAuditChainBrokenProblem[] = "audit-chain-broken";

// The one mapping from an outcome to the process exit code.
int ExitCodeFor(const Status& status);

// The StatusCode an HTTP response status stands for (RFC 9110 semantics).
// 2xx gives kOk.
StatusCode StatusCodeFromHttp(int http_status);

}  // namespace warden::cli

#endif  // WARDEN_CLI_EXIT_CODES_H_
