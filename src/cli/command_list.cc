#include "cli/command_list.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <vector>

namespace warden::cli {
namespace {

// "warden identity gating-flags": the names from the root down.
std::string CommandPath(const CLI::App& command) {
  std::string path = command.get_name();
  for (const CLI::App* up = command.get_parent(); up != nullptr;
       up = up->get_parent()) {
    path = up->get_name() + " " + path;
  }
  return path;
}

std::vector<const CLI::App*> VisibleSubcommands(const CLI::App& command) {
  // CLI11 hides subcommands whose group is empty.
  return command.get_subcommands(
      [](const CLI::App* sub) { return !sub->get_group().empty(); });
}

}  // namespace

std::string CommandList(const CLI::App& command) {
  const std::vector<const CLI::App*> subcommands = VisibleSubcommands(command);
  size_t width = 0;
  for (const CLI::App* sub : subcommands) {
    width = std::max(width, sub->get_name().size());
  }
  const std::string path = CommandPath(command);
  std::string text = "usage: " + path;
  if (command.get_parent() == nullptr) {
    text += " [--server URL] [--token TOKEN | --token-file FILE] [-o json]";
  }
  text += " <command> ...\n\ncommands:\n";
  for (const CLI::App* sub : subcommands) {
    text += "  " + sub->get_name() +
            std::string(width - sub->get_name().size() + 3, ' ') +
            sub->get_description() + "\n";
  }
  return text + "Run '" + path +
         " <command> --help' for its verbs and options.\n";
}

const CLI::App* CommandMissingItsSubcommand(const CLI::App& app) {
  const CLI::App* deepest = &app;
  while (true) {
    const std::vector<CLI::App*> chosen = deepest->get_subcommands();
    if (chosen.empty()) break;
    deepest = chosen.back();
  }
  if (deepest->get_require_subcommand_min() == 0) return nullptr;
  return deepest;
}

}  // namespace warden::cli
