#include "server/audit_sinks.h"

#include <set>

#include "audit/audit_sink.h"
#include "core/private_file.h"

namespace warden::server {
namespace {

Status CheckSecretFiles(const std::vector<AuditSinkSpec>& specs,
                        const std::map<std::string, std::string>& files) {
  for (const auto& [name, path] : files) {
    bool webhook = false;
    bool found = false;
    for (const AuditSinkSpec& spec : specs) {
      if (spec.name != name) continue;
      found = true;
      webhook = spec.kind == AuditSinkKind::kWebhook;
    }
    if (!found) {
      return InvalidArgument("--audit-sink-secret-file " + name +
                             "=...: no --audit-sink named '" + name + "'");
    }
    if (!webhook) {
      return InvalidArgument("--audit-sink-secret-file " + name +
                             "=...: sink '" + name + "' is not a webhook");
    }
  }
  return Status::Ok();
}

Result<std::string> ReadSecret(
    const AuditSinkSpec& spec,
    const std::map<std::string, std::string>& files) {
  auto file = files.find(spec.name);
  if (spec.kind != AuditSinkKind::kWebhook || file == files.end()) {
    return std::string();
  }
  Result<std::string> secret =
      ReadPrivateFile(file->second, kMaxAuditSinkSecretBytes);
  if (!secret.ok()) {
    return secret.status().WithContext("--audit-sink-secret-file " + spec.name);
  }
  return secret;
}

}  // namespace

Result<std::unique_ptr<AuditSinkStreamer>> OpenAuditSinks(
    const std::vector<AuditSinkSpec>& specs,
    const std::map<std::string, std::string>& secret_files, Store& store,
    const Clock& clock, AuditSinkStreamerOptions options) {
  WARDEN_RETURN_IF_ERROR(CheckSecretFiles(specs, secret_files));
  auto streamer =
      std::make_unique<AuditSinkStreamer>(store, clock, std::move(options));
  std::set<std::string> names;
  for (const AuditSinkSpec& spec : specs) {
    if (!names.insert(spec.name).second) {
      return InvalidArgument("--audit-sink: two sinks are named '" + spec.name +
                             "'");
    }
    WARDEN_ASSIGN_OR_RETURN(std::string secret, ReadSecret(spec, secret_files));
    Result<std::unique_ptr<AuditSink>> sink =
        OpenAuditSink(spec, secret, clock);
    if (!sink.ok()) return sink.status().WithContext("--audit-sink");
    streamer->Add(spec.name, std::string(AuditSinkKindName(spec.kind)),
                  std::move(*sink), spec.EffectiveBatch());
  }
  return streamer;
}

}  // namespace warden::server
