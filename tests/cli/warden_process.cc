#include "warden_process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

extern char** environ;

namespace warden::testing_cli {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(20);
// ASan start-up plus first-start key generation and schema creation.
constexpr auto kServerStartTimeout = std::chrono::seconds(60);
constexpr auto kServerStopTimeout = std::chrono::seconds(30);

std::string Binary() {
  const char* binary = std::getenv("WARDEN_BINARY");
  return binary != nullptr ? binary : "warden";
}

std::vector<std::string> ChildEnvironment(
    const std::vector<std::string>& extra) {
  std::vector<std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    if (text.starts_with("WARDEN_URL=") || text.starts_with("WARDEN_TOKEN=")) {
      continue;
    }
    env.emplace_back(text);
  }
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (auto& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

// Starts `warden args` with stdout and stderr sent to the given files.
pid_t Spawn(const std::vector<std::string>& args,
            const std::vector<std::string>& env, const std::string& out_path,
            const std::string& err_path,
            const std::string& in_path = "/dev/null") {
  std::vector<std::string> argv = {Binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<std::string> envp = ChildEnvironment(env);
  std::vector<char*> argv_ptrs = Pointers(argv);
  std::vector<char*> envp_ptrs = Pointers(envp);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, in_path.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, argv[0].c_str(), &actions, nullptr,
                       argv_ptrs.data(), envp_ptrs.data());
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

// Waits for `pid`; kills it at the deadline. Exit code, or -1.
int WaitFor(pid_t pid, std::chrono::steady_clock::duration timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

TempDir::TempDir() {
  std::string pattern = ::testing::TempDir() + "warden_cli_XXXXXX";
  char* made = mkdtemp(pattern.data());
  if (made != nullptr) path_ = made;
}

TempDir::~TempDir() {
  std::error_code ec;
  if (!path_.empty()) std::filesystem::remove_all(path_, ec);
}

CommandResult RunWarden(const std::vector<std::string>& args,
                        const std::vector<std::string>& env,
                        std::chrono::seconds timeout,
                        const std::string& standard_input) {
  TempDir capture;
  std::string out = capture.path() + "/out", err = capture.path() + "/err";
  const std::string in = capture.path() + "/in";
  std::ofstream(in, std::ios::binary) << standard_input;
  CommandResult result;
  pid_t pid = Spawn(args, env, out, err, in);
  if (pid < 0) {
    result.err = "cannot spawn " + Binary();
    return result;
  }
  result.exit_code = WaitFor(pid, timeout);
  result.out = ReadFile(out);
  result.err = ReadFile(err);
  return result;
}

std::unique_ptr<ServerProcess> ServerProcess::Start(
    const std::string& data_dir, std::string* error,
    const std::vector<std::string>& extra_args) {
  std::unique_ptr<ServerProcess> server(new ServerProcess);
  server->log_path_ = data_dir + ".serve.log";
  std::vector<std::string> args = {"serve", "--data-dir", data_dir, "--listen",
                                   "127.0.0.1:0"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  server->pid_ = Spawn(args, {}, server->log_path_, server->log_path_ + ".err");
  if (server->pid_ < 0) {
    *error = "cannot spawn " + Binary();
    return nullptr;
  }
  const std::regex url_pattern(R"(https?://127\.0\.0\.1:[0-9]+)");
  auto deadline = std::chrono::steady_clock::now() + kServerStartTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::smatch match;
    std::string output = server->Output();
    std::string token = ReadFile(data_dir + "/admin.token");
    while (!token.empty() &&
           std::isspace(static_cast<unsigned char>(token.back()))) {
      token.pop_back();
    }
    if (std::regex_search(output, match, url_pattern) && !token.empty()) {
      server->url_ = match.str();
      server->admin_token_ = token;
      return server;
    }
    int status = 0;
    if (waitpid(server->pid_, &status, WNOHANG) == server->pid_) {
      server->pid_ = -1;
      *error = "server exited early: " + output;
      return nullptr;
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  *error = "server printed no URL in time: " + server->Output();
  return nullptr;
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

std::string ServerProcess::Output() const {
  return ReadFile(log_path_) + ReadFile(log_path_ + ".err");
}

void ServerProcess::Signal(int signal_number) {
  if (pid_ > 0) kill(pid_, signal_number);
}

int ServerProcess::Stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int code = WaitFor(pid_, kServerStopTimeout);
  pid_ = -1;
  return code;
}

}  // namespace warden::testing_cli
