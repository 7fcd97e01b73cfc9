#include "discovery/secret_allowlist.h"

#include <array>
#include <cmath>

namespace warden::discovery {
namespace {

const std::vector<std::string>& DefaultPaths() {
  static const auto* const paths = new std::vector<std::string>{
      // Third-party trees: their secrets are not this repository's to fix.
      "(^|/)(node_modules|vendor|bower_components|\\.venv|venv|"
      "__pycache__|\\.git)/",
      // Lock files and checksum lists: hashes that look like keys.
      "(^|/)(package-lock\\.json|npm-shrinkwrap\\.json|pnpm-lock\\.yaml|"
      "go\\.sum)$",
      "\\.lock$",
      // Media, archives, fonts and compiled artifacts.
      "(?i)\\.(png|jpe?g|gif|bmp|ico|webp|tiff?|pdf|zip|gz|tgz|bz2|xz|7z|"
      "tar|jar|war|ear|class|pyc|o|a|so|dylib|dll|exe|wasm|woff2?|ttf|otf|"
      "eot|mp3|mp4|mov|avi|webm)$",
  };
  return *paths;
}

const std::vector<std::string>& DefaultValues() {
  static const auto* const values = new std::vector<std::string>{
      "example",     "xxxxx",  "placeholder", "changeme", "change_me",  "dummy",
      "redacted",    "your_",  "your-",       "<your",    "${",         "{{",
      "process.env", "getenv", "os.environ",  "fake_",    "notasecret",
  };
  return *values;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

}  // namespace

Result<SecretAllowlist> SecretAllowlist::Create(
    bool use_defaults, const std::vector<std::string>& paths,
    const std::vector<std::string>& values) {
  SecretAllowlist allowlist;
  std::vector<std::string> all_paths = paths;
  std::vector<std::string> all_values = values;
  if (use_defaults) {
    all_paths.insert(all_paths.end(), DefaultPaths().begin(),
                     DefaultPaths().end());
    all_values.insert(all_values.end(), DefaultValues().begin(),
                      DefaultValues().end());
  }
  RE2::Options options;
  options.set_log_errors(false);
  for (const std::string& pattern : all_paths) {
    auto re = std::make_shared<const RE2>(pattern, options);
    if (!re->ok()) {
      return Status(
          StatusCode::kInvalidArgument,
          "allowlist path pattern \"" + pattern + "\": " + re->error());
    }
    allowlist.paths_.push_back(std::move(re));
  }
  for (const std::string& value : all_values) {
    if (!value.empty()) allowlist.values_.push_back(Lower(value));
  }
  return allowlist;
}

bool SecretAllowlist::PathAllowed(std::string_view relative_path) const {
  for (const auto& re : paths_) {
    if (RE2::PartialMatch(relative_path, *re)) return true;
  }
  return false;
}

bool SecretAllowlist::ValueAllowed(std::string_view secret) const {
  if (secret.empty()) return true;
  if (secret.find_first_not_of(secret.front()) == std::string_view::npos) {
    return true;
  }
  std::string lower = Lower(secret);
  for (const std::string& value : values_) {
    if (lower.find(value) != std::string::npos) return true;
  }
  return false;
}

bool SecretAllowlist::LineAllowed(std::string_view line) {
  return line.find("warden:allow") != std::string_view::npos ||
         line.find("gitleaks:allow") != std::string_view::npos;
}

double ShannonEntropy(std::string_view text) {
  if (text.empty()) return 0;
  std::array<size_t, 256> counts{};
  for (char c : text) ++counts[static_cast<uint8_t>(c)];
  double entropy = 0;
  double size = static_cast<double>(text.size());
  for (size_t count : counts) {
    if (count == 0) continue;
    double p = static_cast<double>(count) / size;
    entropy -= p * std::log2(p);
  }
  return entropy;
}

}  // namespace warden::discovery
