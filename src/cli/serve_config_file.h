// `warden serve --config FILE`: every serve option from a YAML file.
//
// The file is a map whose keys are serve's long option names without the
// dashes; nested maps join their keys with '-', and '_' reads as '-', so
// these three spell the same option:
//   tls-cert: /etc/warden/tls.crt
//   tls_cert: /etc/warden/tls.crt
//   tls: {cert: /etc/warden/tls.crt}
// A value is a scalar, or a sequence of scalars for an option that may be
// repeated. Because keys are looked up among the options, a new serve
// option is a configuration key from the moment it exists.
//
// Precedence, highest first: the command line, the environment variable
// WARDEN_<KEY> (upper case, '-' as '_', e.g. WARDEN_TLS_CERT), the file,
// the built-in default.
//
// Errors name the file, the line and the key: an unknown key, a key given
// twice, a map or null where a value belongs, a list for a single-valued
// option, and whatever the option's own validation says of the value.
#ifndef WARDEN_CLI_SERVE_CONFIG_FILE_H_
#define WARDEN_CLI_SERVE_CONFIG_FILE_H_

#include <CLI/CLI.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace warden::cli {

// Bounds on what a configuration file may be (it is read at start, before
// anything else; these keep a wrong file from costing much).
inline constexpr size_t kMaxServeConfigBytes = 1024 * 1024;
inline constexpr int kMaxServeConfigDepth = 4;

struct ServeConfigEntry {
  std::string key;  // normalised: "tls-cert"
  std::vector<std::string> values;
  int line = 0;  // 1-based, of the key
};

// Parses the YAML text into entries, in file order. kInvalidArgument with
// "line N: ..." for YAML syntax errors and structural problems.
Result<std::vector<ServeConfigEntry>> ParseServeConfig(std::string_view text);

// Reads and parses `path` (bounded by kMaxServeConfigBytes).
Result<std::vector<ServeConfigEntry>> ReadServeConfig(const std::string& path);

// Sets each option of `serve` to its entry, unless the option was given on
// the command line or in the environment, and runs the option's
// validation and callback. Throws CLI::ValidationError naming `path`, the
// line and the key.
void ApplyServeConfig(CLI::App& serve,
                      const std::vector<ServeConfigEntry>& entries,
                      const std::string& path);

// Gives every long option of `serve` its WARDEN_<KEY> environment variable.
void AddServeEnvironmentNames(CLI::App& serve);

}  // namespace warden::cli

#endif  // WARDEN_CLI_SERVE_CONFIG_FILE_H_
