#include "cli/command_context.h"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "core/time_format.h"

namespace warden::cli {
namespace {

// A token is "wdn_" + 43 characters; anything much longer is the wrong file.
constexpr size_t kMaxTokenFileBytes = 4096;

std::string Trim(std::string text) {
  const char* kSpace = " \t\r\n";
  size_t begin = text.find_first_not_of(kSpace);
  if (begin == std::string::npos) return {};
  size_t end = text.find_last_not_of(kSpace);
  return text.substr(begin, end - begin + 1);
}

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::string(value) : fallback;
}

Result<std::string> ReadTokenFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument("cannot read token file " + path);
  std::string text(kMaxTokenFileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > kMaxTokenFileBytes) {
    return InvalidArgument("token file " + path + " is larger than " +
                           std::to_string(kMaxTokenFileBytes) + " bytes");
  }
  std::string token = Trim(std::move(text));
  if (token.empty()) return InvalidArgument("token file " + path + " is empty");
  return token;
}

bool IsUnreserved(unsigned char c) {
  return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

}  // namespace

void BindCommand(CLI::App* command, CommandContext& context,
                 std::function<Status()> body) {
  command->callback([&context, body = std::move(body)] { context.Run(body); });
}

void AddGlobalOptions(CLI::App& app, GlobalOptions& options) {
  app.add_option("--server", options.server,
                 "Warden server URL (default $WARDEN_URL, else " +
                     std::string(kDefaultServerUrl) + ")");
  app.add_option("--token", options.token, "API token (default $WARDEN_TOKEN)");
  app.add_option("--token-file", options.token_file,
                 "read the API token from this file");
  app.add_option("--ca-file", options.ca_file,
                 "PEM CA bundle to verify an https:// server with, besides "
                 "the system's (default $WARDEN_CA_FILE)");
  app.add_option("-o,--output", options.output, "output format")
      ->check(CLI::IsMember({"table", "json"}));
  app.add_option("--timeout", options.timeout_seconds,
                 "seconds to wait for the server")
      ->check(CLI::Range(1, 3600));
}

Result<std::string> CommandContext::ResolveToken() const {
  if (!options_.token.empty()) return options_.token;
  if (!options_.token_file.empty()) return ReadTokenFile(options_.token_file);
  std::string token = EnvOr("WARDEN_TOKEN", "");
  if (token.empty()) {
    return Unauthenticated(
        "no API token: pass --token or --token-file, or set WARDEN_TOKEN");
  }
  return token;
}

Result<std::unique_ptr<ApiClient>> CommandContext::Client() const {
  WARDEN_ASSIGN_OR_RETURN(std::string token, ResolveToken());
  ApiClientOptions client_options;
  client_options.url = options_.server.empty()
                           ? EnvOr("WARDEN_URL", kDefaultServerUrl)
                           : options_.server;
  client_options.token = std::move(token);
  client_options.ca_file =
      options_.ca_file.empty() ? EnvOr("WARDEN_CA_FILE", "") : options_.ca_file;
  client_options.timeout = std::chrono::seconds(options_.timeout_seconds);
  return ApiClient::Create(std::move(client_options));
}

Result<std::string> CommandContext::Call(HttpMethod method,
                                         std::string_view target,
                                         std::string_view json_body,
                                         std::string_view if_match) const {
  WARDEN_ASSIGN_OR_RETURN(std::unique_ptr<ApiClient> client, Client());
  return client->Call(method, target, json_body, if_match);
}

Status CommandContext::PrintList(const std::string& body,
                                 const std::vector<Column>& columns) const {
  WARDEN_ASSIGN_OR_RETURN(boost::json::value parsed, ParseJsonBody(body));
  WARDEN_ASSIGN_OR_RETURN(boost::json::array rows, ListItems(parsed));
  if (json_output()) {
    std::cout << body << (body.ends_with('\n') ? "" : "\n");
  } else {
    std::cout << RenderTable(columns, rows);
  }
  return Status::Ok();
}

Status CommandContext::PrintRecord(const std::string& body) const {
  WARDEN_ASSIGN_OR_RETURN(boost::json::value parsed, ParseJsonBody(body));
  if (!parsed.is_object()) {
    return Internal("server answered with JSON that is not an object");
  }
  if (json_output()) {
    std::cout << body << (body.ends_with('\n') ? "" : "\n");
  } else {
    std::cout << RenderRecord(parsed.get_object());
  }
  return Status::Ok();
}

Result<boost::json::value> ParseJsonBody(std::string_view body) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(body, ec);
  if (ec) return Internal("server answered with invalid JSON: " + ec.message());
  return value;
}

Result<boost::json::array> ListItems(const boost::json::value& body) {
  if (body.is_array()) return body.get_array();
  if (body.is_object()) {
    const auto* items = body.get_object().if_contains("items");
    if (items != nullptr && items->is_array()) return items->get_array();
  }
  return Internal("server answered a list request without an \"items\" array");
}

std::string JsonString(const boost::json::value& value, std::string_view key) {
  if (!value.is_object()) return {};
  const auto* member = value.get_object().if_contains(key);
  if (member == nullptr || !member->is_string()) return {};
  return std::string(member->get_string());
}

Result<std::string> InstantFlag(std::string_view at, std::string_view from_now,
                                std::string_view flags) {
  if (!at.empty() && !from_now.empty()) {
    return InvalidArgument(std::string(flags) + ": give only one of them");
  }
  if (!at.empty()) {
    Result<Timestamp> parsed = ParseRfc3339(at);
    if (!parsed.ok()) return parsed.status().WithContext(flags);
    return FormatRfc3339(*parsed);
  }
  if (from_now.empty()) return std::string();
  Result<std::chrono::seconds> duration = ParseDuration(from_now);
  if (!duration.ok()) return duration.status().WithContext(flags);
  auto now = std::chrono::floor<std::chrono::seconds>(SystemClock().Now());
  return FormatRfc3339(now + *duration);
}

QueryString& QueryString::Add(std::string_view key, std::string_view value) {
  if (value.empty()) return *this;
  target_ += has_query_ ? '&' : '?';
  has_query_ = true;
  target_ += PathSegment(key);
  target_ += '=';
  target_ += PathSegment(value);
  return *this;
}

std::string PathSegment(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (IsUnreserved(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

}  // namespace warden::cli
