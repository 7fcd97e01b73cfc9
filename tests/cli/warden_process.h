// Test helpers that run the real `warden` binary (path from $WARDEN_BINARY,
// set by warden_add_test) as a child process: one-shot CLI invocations with
// captured output, and a `warden serve` child on a loopback port.
#ifndef WARDEN_TESTS_CLI_WARDEN_PROCESS_H_
#define WARDEN_TESTS_CLI_WARDEN_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace warden::testing_cli {

struct CommandResult {
  int exit_code = -1;  // -1: killed by a signal or timed out
  std::string out;
  std::string err;
};

// A fresh directory under the test temp dir, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Runs `warden args...` with the parent's environment minus WARDEN_URL and
// WARDEN_TOKEN, plus `env` ("NAME=value" entries), reading
// `standard_input`. Kills it after `timeout`.
CommandResult RunWarden(const std::vector<std::string>& args,
                        const std::vector<std::string>& env = {},
                        std::chrono::seconds timeout = std::chrono::seconds(60),
                        const std::string& standard_input = {});

// `warden serve --data-dir DIR --listen 127.0.0.1:0` in the background.
class ServerProcess {
 public:
  // Starts the server (with `extra_args` after the data dir and listen
  // flags) and waits until it printed its URL and wrote DIR/admin.token.
  // Returns nullptr (after killing it) on failure, with the reason in
  // *error.
  static std::unique_ptr<ServerProcess> Start(
      const std::string& data_dir, std::string* error,
      const std::vector<std::string>& extra_args = {});
  ~ServerProcess();  // SIGKILL if still running

  const std::string& url() const { return url_; }
  const std::string& admin_token() const { return admin_token_; }
  // Everything the server printed so far (stdout and stderr).
  std::string Output() const;
  // Sends `signal_number` (e.g. SIGHUP) to the server.
  void Signal(int signal_number);
  // SIGTERM, then waits; the exit code, or -1 on a signal or a timeout.
  int Stop();

 private:
  ServerProcess() = default;

  pid_t pid_ = -1;
  std::string log_path_;
  std::string url_;
  std::string admin_token_;
};

std::string ReadFile(const std::string& path);

}  // namespace warden::testing_cli

#endif  // WARDEN_TESTS_CLI_WARDEN_PROCESS_H_
