#include "cli/audit_sink_options.h"

#include <string>
#include <vector>

#include "audit/audit_sink_spec.h"

namespace warden::cli {

void AddAuditSinkOptions(
    CLI::App& serve, const std::shared_ptr<server::ServerOptions>& options) {
  serve.add_option_function<std::vector<std::string>>(
      "--audit-sink",
      [options](const std::vector<std::string>& values) {
        options->audit_sinks.clear();
        for (const std::string& value : values) {
          Result<AuditSinkSpec> spec = ParseAuditSinkSpec(value);
          if (!spec.ok()) {
            throw CLI::ValidationError("--audit-sink", spec.status().message());
          }
          options->audit_sinks.push_back(std::move(*spec));
        }
      },
      "NAME=URL: stream the audit log to a sink, repeatable: "
      "file:///PATH.jsonl[?max_bytes=100M&max_age=1d], "
      "syslog+tcp://HOST:PORT, syslog+udp://HOST:PORT, "
      "https://HOST/PATH (signed webhook)");
  serve.add_option_function<std::vector<std::string>>(
      "--audit-sink-secret-file",
      [options](const std::vector<std::string>& values) {
        options->audit_sink_secret_files.clear();
        for (const std::string& value : values) {
          auto named = ParseNamedValue(value);
          if (!named.ok()) {
            throw CLI::ValidationError("--audit-sink-secret-file",
                                       named.status().message());
          }
          options->audit_sink_secret_files[named->first] = named->second;
        }
      },
      "NAME=FILE: the key (mode 0600) a webhook audit sink signs with, "
      "repeatable");
}

}  // namespace warden::cli
