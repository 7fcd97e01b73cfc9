#include "cli/client_commands.h"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <iostream>
#include <memory>

#include "cli/certificate_jwks_file.h"
#include "cli/jwks_file.h"
#include "core/clock.h"
#include "core/time_format.h"

namespace warden::cli {
namespace {

namespace json = boost::json;

// The API's method names (POST /v1/identities/{id}/credentials).
constexpr char kClientSecret[] = "client_secret";
constexpr char kPrivateKeyJwt[] = "private_key_jwt";
constexpr char kTlsClientAuth[] = "tls_client_auth";
constexpr char kSelfSignedTlsClientAuth[] = "self_signed_tls_client_auth";

// tls_client_auth: the CLI flag of each RFC 8705 section 2.1.2 name.
struct CertificateMatchFlag {
  const char* flag;
  const char* field;
};
constexpr CertificateMatchFlag kCertificateMatchFlags[] = {
    {"--subject-dn", "tls_client_auth_subject_dn"},
    {"--san-dns", "tls_client_auth_san_dns"},
    {"--san-uri", "tls_client_auth_san_uri"},
    {"--san-ip", "tls_client_auth_san_ip"},
    {"--san-email", "tls_client_auth_san_email"},
};

struct CredentialOptions {
  std::string id;
  std::string method;
  std::string jwks_file;
  std::string certificate_file;
  // Parallel to kCertificateMatchFlags.
  std::string match_values[std::size(kCertificateMatchFlags)];
  int64_t overlap_seconds = 0;
  CLI::Option* overlap_option = nullptr;
};

// tls_client_auth takes exactly one match flag; other methods none.
Status AddCertificateMatch(const CredentialOptions& options,
                           json::object& body) {
  const bool wanted = options.method == kTlsClientAuth;
  int given = 0;
  for (size_t i = 0; i < std::size(kCertificateMatchFlags); ++i) {
    if (options.match_values[i].empty()) continue;
    if (!wanted) {
      return InvalidArgument(std::string(kCertificateMatchFlags[i].flag) +
                             " is for --method tls_client_auth");
    }
    body[kCertificateMatchFlags[i].field] = options.match_values[i];
    ++given;
  }
  if (wanted && given != 1) {
    return InvalidArgument(
        "--method tls_client_auth needs exactly one of --san-uri, --san-dns, "
        "--san-ip, --san-email, --subject-dn");
  }
  return Status::Ok();
}

struct GatingOptions {
  std::string id;
  std::vector<std::string> flags;
  bool none = false;
};

std::string ClientPath(const std::string& id, std::string_view leaf) {
  return "/v1/identities/" + PathSegment(id) + "/" + std::string(leaf);
}

// Flags that belong to the other method are mistakes, not no-ops.
Result<json::object> CredentialBody(const CredentialOptions& options) {
  const bool overlap = options.overlap_option->count() > 0;
  json::object body{{"method", options.method}};
  WARDEN_RETURN_IF_ERROR(AddCertificateMatch(options, body));
  const bool self_signed = options.method == kSelfSignedTlsClientAuth;
  if (!options.certificate_file.empty() && !self_signed) {
    return InvalidArgument(
        "--certificate is for --method self_signed_tls_client_auth");
  }
  if (options.method == kTlsClientAuth || self_signed) {
    if (overlap || !options.jwks_file.empty()) {
      return InvalidArgument(
          "--overlap and --jwks are for the secret and key methods");
    }
    if (!self_signed) return body;
    if (options.certificate_file.empty()) {
      return InvalidArgument(
          "--method self_signed_tls_client_auth needs --certificate FILE "
          "(the client's PEM certificates)");
    }
    WARDEN_ASSIGN_OR_RETURN(body["jwks"],
                            ReadCertificateJwksFile(options.certificate_file));
    return body;
  }
  if (options.method == kClientSecret) {
    if (!options.jwks_file.empty()) {
      return InvalidArgument("--jwks is for --method private_key_jwt");
    }
    if (overlap) body["overlap_seconds"] = options.overlap_seconds;
    return body;
  }
  if (overlap)
    return InvalidArgument("--overlap is for --method client_secret");
  if (options.jwks_file.empty()) {
    return InvalidArgument(
        "--method private_key_jwt needs --jwks FILE (the client's public "
        "keys)");
  }
  WARDEN_ASSIGN_OR_RETURN(body["jwks"], ReadClientJwksFile(options.jwks_file));
  return body;
}

// The answer without the server's microsecond field, which a person reads
// as an RFC 3339 instant.
json::object Readable(json::object answer) {
  if (const json::value* until =
          answer.if_contains("previous_secret_valid_until_us");
      until != nullptr && until->is_int64()) {
    answer["previous_secret_valid_until"] =
        FormatRfc3339(FromMicros(until->as_int64()));
  }
  answer.erase("previous_secret_valid_until_us");
  return answer;
}

Status RegisterCredentials(const CommandContext& context,
                           const CredentialOptions& options) {
  WARDEN_ASSIGN_OR_RETURN(json::object body, CredentialBody(options));
  WARDEN_ASSIGN_OR_RETURN(
      std::string answer,
      context.Call(HttpMethod::kPost, ClientPath(options.id, "credentials"),
                   json::serialize(body)));
  if (context.json_output()) return context.PrintRecord(answer);
  WARDEN_ASSIGN_OR_RETURN(json::value parsed, ParseJsonBody(answer));
  if (!parsed.is_object()) return Internal("credentials: answer not an object");
  std::cout << RenderRecord(Readable(parsed.as_object()));
  if (options.method == kClientSecret) {
    std::cerr << "the client secret is shown once: store it now\n";
  }
  return Status::Ok();
}

Status GetGatingFlags(const CommandContext& context, const std::string& id) {
  WARDEN_ASSIGN_OR_RETURN(
      std::string answer,
      context.Call(HttpMethod::kGet, ClientPath(id, "gating-flags")));
  if (context.json_output()) return context.PrintRecord(answer);
  WARDEN_ASSIGN_OR_RETURN(json::value parsed, ParseJsonBody(answer));
  const json::value* flags =
      parsed.is_object() ? parsed.as_object().if_contains("flags") : nullptr;
  if (flags == nullptr || !flags->is_array()) {
    return Internal("gating-flags: answer without a \"flags\" array");
  }
  if (flags->as_array().empty()) std::cerr << "no gating flags\n";
  for (const json::value& flag : flags->as_array()) {
    std::cout << CellText(flag) << "\n";
  }
  return Status::Ok();
}

Status SetGatingFlags(const CommandContext& context,
                      const GatingOptions& options) {
  if (options.none == !options.flags.empty()) {
    return InvalidArgument("gating-flags set: give FLAG... or --none");
  }
  json::array flags;
  for (const std::string& flag : options.flags) flags.emplace_back(flag);
  WARDEN_RETURN_IF_ERROR(
      context
          .Call(HttpMethod::kPut, ClientPath(options.id, "gating-flags"),
                json::serialize(json::object{{"flags", std::move(flags)}}))
          .status());
  return GetGatingFlags(context, options.id);
}

Status ScopesUsed(const CommandContext& context, const std::string& id) {
  WARDEN_ASSIGN_OR_RETURN(
      std::string answer,
      context.Call(HttpMethod::kGet, ClientPath(id, "scopes-used")));
  return context.PrintList(answer,
                           {{"SCOPE", "scope"}, {"LAST_USED", "last_used_at"}});
}

void AddCredentialsCommand(CLI::App& identity, CommandContext& context) {
  auto options = std::make_shared<CredentialOptions>();
  CLI::App* command = identity.add_subcommand(
      "credentials", "register OAuth client credentials (client_id = ID)");
  command->add_option("id", options->id, "identity id")->required();
  command->add_option("--method", options->method, "client authentication")
      ->required()
      ->check(CLI::IsMember({kClientSecret, kPrivateKeyJwt, kTlsClientAuth,
                             kSelfSignedTlsClientAuth}));
  command->add_option("--jwks", options->jwks_file,
                      "private_key_jwt: JWKS file of the client's public "
                      "keys (- for stdin)");
  for (size_t i = 0; i < std::size(kCertificateMatchFlags); ++i) {
    command->add_option(
        kCertificateMatchFlags[i].flag, options->match_values[i],
        std::string("tls_client_auth: the certificate's ") +
            (kCertificateMatchFlags[i].flag + 2) + " (RFC 8705 " +
            kCertificateMatchFlags[i].field + ")");
  }
  command->add_option("--certificate", options->certificate_file,
                      "self_signed_tls_client_auth: PEM file of the client's "
                      "certificates (- for stdin)");
  options->overlap_option = command->add_option(
      "--overlap", options->overlap_seconds,
      "client_secret: seconds the previous secret keeps working "
      "(default 3600)");
  BindCommand(command, context, [&context, options] {
    return RegisterCredentials(context, *options);
  });
}

void AddGatingCommands(CLI::App& identity, CommandContext& context) {
  CLI::App* gating = identity.add_subcommand(
      "gating-flags", "flags that must be exposed to a tenant for its tokens");
  gating->require_subcommand(1);
  auto options = std::make_shared<GatingOptions>();
  CLI::App* get = gating->add_subcommand("get", "show an identity's flags");
  get->add_option("id", options->id, "identity id")->required();
  BindCommand(get, context, [&context, options] {
    return GetGatingFlags(context, options->id);
  });
  CLI::App* set = gating->add_subcommand("set", "replace an identity's flags");
  set->add_option("id", options->id, "identity id")->required();
  set->add_option("flags", options->flags, "flag keys");
  set->add_flag("--none", options->none, "remove every gating flag");
  BindCommand(set, context, [&context, options] {
    return SetGatingFlags(context, *options);
  });
}

}  // namespace

void AddClientCommands(CLI::App& identity, CommandContext& context) {
  AddCredentialsCommand(identity, context);
  AddGatingCommands(identity, context);
  auto id = std::make_shared<std::string>();
  CLI::App* scopes = identity.add_subcommand(
      "scopes-used", "scopes its issued tokens were used with, and when");
  scopes->add_option("id", *id, "identity id")->required();
  BindCommand(scopes, context,
              [&context, id] { return ScopesUsed(context, *id); });
}

}  // namespace warden::cli
