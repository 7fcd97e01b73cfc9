#include "cli/serve_config_file.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>
#include <set>

namespace warden::cli {
namespace {

// 1-based; a node without a position (none in a parsed file) counts as 1.
int LineOf(const YAML::Node& node) { return std::max(node.Mark().line, 0) + 1; }

Status AtLine(int line, const std::string& message) {
  return InvalidArgument(fmt::format("line {}: {}", line, message),
                         "config-invalid");
}

// "tls_Cert" -> "tls-cert"; empty when the key has other characters.
std::string NormaliseKey(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '_') c = '-';
    if (c != '-' && !std::isalnum(static_cast<unsigned char>(c))) return "";
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

class Flattener {
 public:
  Status Map(const YAML::Node& map, const std::string& prefix, int depth) {
    if (depth > kMaxServeConfigDepth) {
      return AtLine(LineOf(map), "maps nested deeper than " +
                                     std::to_string(kMaxServeConfigDepth));
    }
    for (const auto& pair : map) {
      WARDEN_RETURN_IF_ERROR(Entry(pair.first, pair.second, prefix, depth));
    }
    return Status::Ok();
  }

  std::vector<ServeConfigEntry> Take() { return std::move(entries_); }

 private:
  Status Entry(const YAML::Node& key_node, const YAML::Node& value,
               const std::string& prefix, int depth) {
    const int line = LineOf(key_node);
    if (!key_node.IsScalar()) return AtLine(line, "a key must be a name");
    const std::string name = NormaliseKey(key_node.Scalar());
    if (name.empty()) {
      return AtLine(line, "key '" + key_node.Scalar() +
                              "' is not an option name (letters, digits, "
                              "'-' and '_')");
    }
    const std::string key = prefix.empty() ? name : prefix + "-" + name;
    if (value.IsMap()) return Map(value, key, depth + 1);
    ServeConfigEntry entry{key, {}, line};
    if (value.IsScalar()) {
      entry.values.push_back(value.Scalar());
    } else if (value.IsSequence()) {
      for (const YAML::Node& item : value) {
        if (!item.IsScalar()) {
          return AtLine(LineOf(item), key + ": list items must be values");
        }
        entry.values.push_back(item.Scalar());
      }
    } else {
      return AtLine(line, key + ": has no value");
    }
    if (!seen_.insert(key).second) {
      return AtLine(line, key + ": given twice");
    }
    entries_.push_back(std::move(entry));
    return Status::Ok();
  }

  std::vector<ServeConfigEntry> entries_;
  std::set<std::string> seen_;
};

[[noreturn]] void ThrowAt(const std::string& path,
                          const ServeConfigEntry& entry,
                          const std::string& problem) {
  throw CLI::ValidationError(fmt::format("config {}: line {}: {}: {}", path,
                                         entry.line, entry.key, problem));
}

}  // namespace

Result<std::vector<ServeConfigEntry>> ParseServeConfig(std::string_view text) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return AtLine(std::max(e.mark.line, 0) + 1, "not YAML: " + e.msg);
  }
  if (root.IsNull() || !root.IsDefined()) {
    return std::vector<ServeConfigEntry>{};
  }
  if (!root.IsMap()) {
    return AtLine(LineOf(root), "the file must be a map of option: value");
  }
  Flattener flattener;
  WARDEN_RETURN_IF_ERROR(flattener.Map(root, "", 1));
  return flattener.Take();
}

Result<std::vector<ServeConfigEntry>> ReadServeConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return InvalidArgument("config " + path + ": cannot be read",
                           "config-invalid");
  }
  std::string text;
  text.resize(kMaxServeConfigBytes + 1);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > kMaxServeConfigBytes) {
    return InvalidArgument("config " + path + ": larger than " +
                               std::to_string(kMaxServeConfigBytes) + " bytes",
                           "config-invalid");
  }
  Result<std::vector<ServeConfigEntry>> entries = ParseServeConfig(text);
  if (!entries.ok()) {
    return entries.status().WithContext("config " + path);
  }
  return entries;
}

void ApplyServeConfig(CLI::App& serve,
                      const std::vector<ServeConfigEntry>& entries,
                      const std::string& path) {
  for (const ServeConfigEntry& entry : entries) {
    CLI::Option* option = serve.get_option_no_throw("--" + entry.key);
    if (option == nullptr || entry.key == "config" || entry.key == "help") {
      ThrowAt(path, entry, "unknown key (see `warden serve --help`)");
    }
    if (option->count() > 0) continue;  // the command line or environment
    if (entry.values.size() > 1 && option->get_items_expected_max() == 1) {
      ThrowAt(path, entry, "takes one value, not a list");
    }
    for (const std::string& value : entry.values) option->add_result(value);
    try {
      option->run_callback();
    } catch (const CLI::Error& e) {
      ThrowAt(path, entry, e.what());
    }
  }
}

void AddServeEnvironmentNames(CLI::App& serve) {
  for (CLI::Option* option : serve.get_options()) {
    const std::vector<std::string>& names = option->get_lnames();
    if (names.empty() || names.front() == "help" || names.front() == "config") {
      continue;
    }
    std::string variable = "WARDEN_";
    for (char c : names.front()) {
      variable +=
          c == '-'
              ? '_'
              : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    option->envname(variable);
  }
}

}  // namespace warden::cli
