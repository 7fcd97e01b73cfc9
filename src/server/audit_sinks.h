// The audit stream of `warden serve`: the sinks of --audit-sink, with their
// webhook keys read from --audit-sink-secret-file, fed by one
// AuditSinkStreamer (audit/audit_sink_streamer.h).
#ifndef WARDEN_SERVER_AUDIT_SINKS_H_
#define WARDEN_SERVER_AUDIT_SINKS_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "audit/audit_sink_spec.h"
#include "audit/audit_sink_streamer.h"
#include "core/clock.h"
#include "core/status.h"
#include "store/store.h"

namespace warden::server {

// The largest webhook secret file read.
inline constexpr size_t kMaxAuditSinkSecretBytes = 4096;

// Opens every sink of `specs` (not started). `secret_files` maps a webhook
// sink's name to its key file (0600: ReadPrivateFile); a file for a sink
// that is not a webhook, or not configured, is an error, as is a webhook
// without one. `exclusive`: no other process shares `store`. Errors name
// the sink and the option. `store` and `clock` must outlive the streamer.
Result<std::unique_ptr<AuditSinkStreamer>> OpenAuditSinks(
    const std::vector<AuditSinkSpec>& specs,
    const std::map<std::string, std::string>& secret_files, Store& store,
    const Clock& clock, AuditSinkStreamerOptions options);

}  // namespace warden::server

#endif  // WARDEN_SERVER_AUDIT_SINKS_H_
