// The audit sink options of `warden serve` (docs/OPERATIONS.md, "Audit
// sinks"):
//   --audit-sink NAME=URL               repeatable; audit/audit_sink_spec.h
//   --audit-sink-secret-file NAME=FILE  repeatable; a webhook sink's key
// Each value is parsed when the command line is read, so a mistake stops
// `warden serve` with a message naming the option, the sink and the
// problem, before anything starts.
#ifndef WARDEN_CLI_AUDIT_SINK_OPTIONS_H_
#define WARDEN_CLI_AUDIT_SINK_OPTIONS_H_

#include <CLI/CLI.hpp>
#include <memory>

#include "server/server_app.h"

namespace warden::cli {

void AddAuditSinkOptions(CLI::App& serve,
                         const std::shared_ptr<server::ServerOptions>& options);

}  // namespace warden::cli

#endif  // WARDEN_CLI_AUDIT_SINK_OPTIONS_H_
