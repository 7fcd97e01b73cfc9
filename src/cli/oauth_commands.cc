#include "cli/oauth_commands.h"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <iostream>
#include <memory>

#include "cli/local_file.h"

namespace warden::cli {
namespace {

namespace json = boost::json;

constexpr char kIssuersPath[] = "/v1/oauth/trusted-issuers";
// The server takes request bodies up to 1 MiB (http/http_session.h).
constexpr size_t kMaxIssuersFileBytes = 1024 * 1024;
// Far deeper than an issuer with inline keys and claim rules nests.
constexpr unsigned kMaxIssuersDepth = 16;

// Where an issuer's keys come from, for the table.
std::string KeySource(const json::object& issuer) {
  for (const char* member : {"jwks_uri", "jwks_file"}) {
    if (const json::value* at = issuer.if_contains(member)) {
      return std::string(member) + " " + CellText(*at);
    }
  }
  return issuer.contains("jwks") ? "inline" : "-";
}

json::array IssuerRows(const json::array& issuers) {
  json::array rows;
  for (const json::value& item : issuers) {
    if (!item.is_object()) continue;
    const json::object& issuer = item.as_object();
    const json::value* rules = issuer.if_contains("rules");
    auto member = [&issuer](const char* name) {
      const json::value* value = issuer.if_contains(name);
      return value != nullptr ? *value : json::value();
    };
    rows.push_back(json::object{
        {"issuer", member("issuer")},
        {"audience", member("audience")},
        {"keys", KeySource(issuer)},
        {"rules", rules != nullptr && rules->is_array()
                      ? static_cast<int64_t>(rules->as_array().size())
                      : 0}});
  }
  return rows;
}

Status ShowIssuers(const CommandContext& context) {
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kGet, kIssuersPath));
  WARDEN_ASSIGN_OR_RETURN(json::value parsed, ParseJsonBody(answer));
  if (!parsed.is_array()) {
    return Internal("trusted-issuers: answer is not a JSON array");
  }
  if (context.json_output()) {
    std::cout << answer << (answer.ends_with('\n') ? "" : "\n");
    return Status::Ok();
  }
  if (parsed.as_array().empty()) std::cerr << "no trusted issuers\n";
  return context.PrintList(json::serialize(IssuerRows(parsed.as_array())),
                           {{"ISSUER", "issuer"},
                            {"AUDIENCE", "audience"},
                            {"KEYS", "keys"},
                            {"RULES", "rules"}});
}

// The document's shape, so the common mistakes fail before the request.
Status CheckIssuersDocument(const std::string& path, std::string_view text) {
  json::parse_options options;
  options.max_depth = kMaxIssuersDepth;
  boost::system::error_code ec;
  json::value document = json::parse(text, ec, {}, options);
  if (ec) {
    return InvalidArgument(path + ": not JSON (" + ec.message() + ")");
  }
  if (!document.is_array()) {
    return InvalidArgument(path +
                           ": must be a JSON array of issuers, e.g. "
                           "[{\"issuer\": \"https://ci.example\", ...}]");
  }
  const json::array& issuers = document.as_array();
  for (size_t i = 0; i < issuers.size(); ++i) {
    const json::value& issuer = issuers[i];
    if (!issuer.is_object() || !issuer.as_object().contains("issuer")) {
      return InvalidArgument(path + ": [" + std::to_string(i) +
                             "] must be an object with an \"issuer\"");
    }
  }
  return Status::Ok();
}

Status SetIssuers(const CommandContext& context, const std::string& path) {
  WARDEN_ASSIGN_OR_RETURN(std::string text,
                          ReadLocalFile(path, kMaxIssuersFileBytes));
  WARDEN_RETURN_IF_ERROR(CheckIssuersDocument(path, text));
  WARDEN_RETURN_IF_ERROR(
      context.Call(HttpMethod::kPut, kIssuersPath, text).status());
  return ShowIssuers(context);
}

Status RotateKeys(const CommandContext& context, bool emergency) {
  const std::string body = emergency ? R"({"emergency":true})" : "{}";
  WARDEN_ASSIGN_OR_RETURN(
      std::string answer,
      context.Call(HttpMethod::kPost, "/v1/oauth/keys/rotate", body));
  if (context.json_output()) return context.PrintRecord(answer);
  WARDEN_ASSIGN_OR_RETURN(json::value parsed, ParseJsonBody(answer));
  const json::value* keys =
      parsed.is_object() ? parsed.as_object().if_contains("keys") : nullptr;
  if (keys == nullptr || !keys->is_array()) {
    return Internal("rotate-keys: answer is not a JWKS");
  }
  return context.PrintList(
      json::serialize(*keys),
      {{"KID", "kid"}, {"KTY", "kty"}, {"ALG", "alg"}, {"USE", "use"}});
}

void AddIssuerCommands(CLI::App& oauth, CommandContext& context) {
  CLI::App* issuers = oauth.add_subcommand(
      "trusted-issuers", "issuers whose tokens may be exchanged (RFC 8693)");
  CLI::App* get = issuers->add_subcommand("get", "show them (the default)");
  BindCommand(get, context, [&context] { return ShowIssuers(context); });
  auto file = std::make_shared<std::string>();
  CLI::App* set = issuers->add_subcommand(
      "set", "replace them with a JSON file (- for stdin)");
  set->add_option("file", *file, "trusted issuers JSON array")->required();
  BindCommand(set, context,
              [&context, file] { return SetIssuers(context, *file); });
  // `oauth trusted-issuers` alone shows them.
  issuers->callback([&context, issuers, get, set] {
    if (issuers->got_subcommand(get) || issuers->got_subcommand(set)) return;
    context.Run([&context] { return ShowIssuers(context); });
  });
}

}  // namespace

void AddOAuthCommands(CLI::App& app, CommandContext& context) {
  CLI::App* oauth = app.add_subcommand(
      "oauth", "the OAuth server: trusted issuers, signing keys");
  oauth->require_subcommand(1);
  AddIssuerCommands(*oauth, context);
  auto emergency = std::make_shared<bool>(false);
  CLI::App* rotate = oauth->add_subcommand(
      "rotate-keys", "sign with a new key from now on; prints the JWKS");
  rotate->add_flag("--emergency", *emergency,
                   "retire the previous key at once (its tokens stop "
                   "verifying)");
  BindCommand(rotate, context, [&context, emergency] {
    return RotateKeys(context, *emergency);
  });
}

}  // namespace warden::cli
