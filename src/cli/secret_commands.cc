#include "cli/secret_commands.h"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>

#include "custody/secret_keyring.h"
#include "secrets/envelope.h"
#include "server/offline_store.h"

namespace warden::cli {
namespace {

struct SecretOptions {
  std::string name, identity, description, value_file, data_dir;
  int64_t version = 0;
  int64_t overlap_seconds = -1;
};

const std::vector<Column>& SecretColumns() {
  static const std::vector<Column> kColumns = {
      {"NAME", "name"},
      {"IDENTITY", "identity_id"},
      {"VERSION", "current_version"},
      {"ROTATION_DUE", "rotation_due_at"}};
  return kColumns;
}

// The value from a file, or stdin for "-"; one trailing newline dropped.
Result<std::string> ReadValue(const std::string& path) {
  std::string value;
  if (path == "-") {
    value.assign(std::istreambuf_iterator<char>(std::cin), {});
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) return InvalidArgument("cannot read " + path);
    value.assign(std::istreambuf_iterator<char>(in), {});
  }
  if (!value.empty() && value.back() == '\n') value.pop_back();
  if (value.size() > secrets::kMaxSecretBytes) {
    return InvalidArgument("secret value larger than 64 KiB");
  }
  return value;
}

std::string SecretPath(const std::string& name) {
  return "/v1/secrets/" + PathSegment(name);
}

Status SecretPut(const CommandContext& context, const SecretOptions& options) {
  WARDEN_ASSIGN_OR_RETURN(std::string value, ReadValue(options.value_file));
  boost::json::object body{{"name", options.name},
                           {"identity", options.identity},
                           {"description", options.description},
                           {"value", value}};
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kPost, "/v1/secrets",
                                       boost::json::serialize(body)));
  return context.PrintRecord(answer);
}

Status SecretRotate(const CommandContext& context,
                    const SecretOptions& options) {
  WARDEN_ASSIGN_OR_RETURN(std::string value, ReadValue(options.value_file));
  boost::json::object body{{"value", value}};
  if (options.overlap_seconds >= 0) {
    body["overlap_seconds"] = options.overlap_seconds;
  }
  WARDEN_ASSIGN_OR_RETURN(
      std::string answer,
      context.Call(HttpMethod::kPost, SecretPath(options.name) + "/rotate",
                   boost::json::serialize(body)));
  return context.PrintRecord(answer);
}

Status SecretGet(const CommandContext& context, const SecretOptions& options) {
  QueryString query(SecretPath(options.name) + "/value");
  if (options.version > 0)
    query.Add("version", std::to_string(options.version));
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kGet, query.target()));
  if (context.json_output()) return context.PrintRecord(answer);
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(answer, ec);
  if (ec || !value.is_object() || !value.as_object().contains("value")) {
    return Internal("unexpected secret response");
  }
  std::cout << value.as_object().at("value").as_string().c_str() << "\n";
  return Status::Ok();
}

Status SecretList(const CommandContext& context) {
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kGet, "/v1/secrets"));
  return context.PrintList(answer, SecretColumns());
}

Status SecretRotateKek(const SecretOptions& options) {
  const std::string path = options.data_dir + "/warden.db";
  WARDEN_ASSIGN_OR_RETURN(std::unique_ptr<Store> store,
                          server::OpenOfflineStore(path));
  Result<int64_t> count =
      custody::RotateKeyEncryptionKey(*store, options.data_dir);
  store->Close();
  if (!count.ok()) return count.status();
  std::printf(
      "re-wrapped %lld secret versions under a new key-encryption "
      "key\n",
      static_cast<long long>(*count));  // NOLINT(runtime/int)
  return Status::Ok();
}

void AddWrites(CLI::App& secrets, CommandContext& context,
               const std::shared_ptr<SecretOptions>& options) {
  CLI::App* put = secrets.add_subcommand("put", "store a new secret");
  put->add_option("name", options->name, "secret name")->required();
  put->add_option("--identity", options->identity, "owning identity")
      ->required();
  put->add_option("--description", options->description, "what it is");
  put->add_option("--value-file", options->value_file, "file, or - for stdin")
      ->required();
  BindCommand(put, context,
              [&context, options] { return SecretPut(context, *options); });
  CLI::App* rotate = secrets.add_subcommand("rotate", "add a new version");
  rotate->add_option("name", options->name, "secret name")->required();
  rotate->add_option("--value-file", options->value_file, "file or -")
      ->required();
  rotate->add_option("--overlap", options->overlap_seconds,
                     "seconds the previous version stays readable");
  BindCommand(rotate, context,
              [&context, options] { return SecretRotate(context, *options); });
}

}  // namespace

void AddSecretCommands(CLI::App& app, CommandContext& context) {
  CLI::App* secrets = app.add_subcommand("secret", "the static secret store");
  secrets->require_subcommand(1);
  auto options = std::make_shared<SecretOptions>();
  AddWrites(*secrets, context, options);
  CLI::App* get = secrets->add_subcommand("get", "print a secret's value");
  get->add_option("name", options->name, "secret name")->required();
  get->add_option("--version", options->version, "version (default: active)");
  BindCommand(get, context,
              [&context, options] { return SecretGet(context, *options); });
  CLI::App* list = secrets->add_subcommand("list", "secrets (no values)");
  BindCommand(list, context, [&context] { return SecretList(context); });
  CLI::App* kek = secrets->add_subcommand(
      "rotate-kek", "offline: new key-encryption key, re-wrap data keys");
  kek->add_option("--data-dir", options->data_dir, "server data directory")
      ->required();
  BindCommand(kek, context, [options] { return SecretRotateKek(*options); });
}

}  // namespace warden::cli
