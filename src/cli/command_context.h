// What every client command shares: the global flags (server, token, output
// format), the API client built from them, and the output helpers. One
// CommandContext lives for one CLI invocation, on the main thread.
#ifndef WARDEN_CLI_COMMAND_CONTEXT_H_
#define WARDEN_CLI_COMMAND_CONTEXT_H_

#include <boost/json/value.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/api_client.h"
#include "cli/table.h"
#include "core/status.h"

namespace CLI {
class App;
}

namespace warden::cli {

struct GlobalOptions {
  std::string server;      // --server, else $WARDEN_URL, else the default
  std::string token;       // --token, else --token-file, else $WARDEN_TOKEN
  std::string token_file;  // --token-file
  std::string ca_file;     // --ca-file, else $WARDEN_CA_FILE (HTTPS)
  std::string output = "table";  // -o table|json
  int timeout_seconds = 30;
};

// Used when neither --server nor WARDEN_URL is given: `warden serve`'s
// default listen address.
inline constexpr char kDefaultServerUrl[] = "http://127.0.0.1:8080";

class CommandContext {
 public:
  GlobalOptions& options() { return options_; }
  bool json_output() const { return options_.output == "json"; }

  // The client for the resolved URL and token. kUnauthenticated when no
  // token is configured; kInvalidArgument for a bad URL or unreadable file.
  Result<std::unique_ptr<ApiClient>> Client() const;

  // Client() then ApiClient::Call(): one API request, its body on success.
  Result<std::string> Call(HttpMethod method, std::string_view target,
                           std::string_view json_body = {},
                           std::string_view if_match = {}) const;

  // Runs `command` and records its outcome as the invocation's result.
  void Run(const std::function<Status()>& command) { result_ = command(); }
  const Status& result() const { return result_; }
  // For commands that own the process exit code (`serve`).
  void RunForExitCode(const std::function<int()>& command) {
    exit_code_ = command();
  }
  std::optional<int> exit_code() const { return exit_code_; }

  // Output of a read command: raw JSON with -o json, else rendered.
  // `body` is a list response (a JSON array, or an object with "items").
  Status PrintList(const std::string& body,
                   const std::vector<Column>& columns) const;
  // `body` is one JSON object.
  Status PrintRecord(const std::string& body) const;

 private:
  Result<std::string> ResolveToken() const;

  GlobalOptions options_;
  Status result_;
  std::optional<int> exit_code_;
};

// Makes `command` run `body` (recording its Status in `context`) when the
// user invokes it.
void BindCommand(CLI::App* command, CommandContext& context,
                 std::function<Status()> body);

// Adds the global flags to the root app.
void AddGlobalOptions(CLI::App& app, GlobalOptions& options);

// Parses a server answer; kInternal naming the problem when it is not JSON.
Result<boost::json::value> ParseJsonBody(std::string_view body);

// The rows of a list response: the array itself, or the "items" member.
Result<boost::json::array> ListItems(const boost::json::value& body);

// The string member `key` of an object, or empty.
std::string JsonString(const boost::json::value& value, std::string_view key);

// An instant given either as RFC 3339 text (`at`, validated) or as a
// duration from now (`from_now`, e.g. "90d"); empty when both are empty.
// kInvalidArgument naming `flags` when both are set or one is malformed.
Result<std::string> InstantFlag(std::string_view at, std::string_view from_now,
                                std::string_view flags);

// Builds "path?k=v&..." with each value percent-encoded (RFC 3986 §2.1).
class QueryString {
 public:
  explicit QueryString(std::string path) : target_(std::move(path)) {}
  // Skips empty values, so optional flags can be added unconditionally.
  QueryString& Add(std::string_view key, std::string_view value);
  const std::string& target() const { return target_; }

 private:
  std::string target_;
  bool has_query_ = false;
};

// Percent-encodes one path segment (ids and names supplied by the user).
std::string PathSegment(std::string_view text);

}  // namespace warden::cli

#endif  // WARDEN_CLI_COMMAND_CONTEXT_H_
