#include "cli/cert_commands.h"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>

#include "custody/certificate_ca_files.h"

namespace warden::cli {
namespace {

// A CSR or certificate PEM is a few KiB; refuse anything absurd early.
constexpr size_t kMaxPemFileBytes = 64 * 1024;

struct CertOptions {
  std::string identity, csr_file, certificate_file, serial, reason, data_dir;
  int64_t ttl_seconds = 0;
};

const std::vector<Column>& CertColumns() {
  static const std::vector<Column> kColumns = {{"SERIAL", "serial"},
                                               {"SPIFFE_ID", "spiffe_id"},
                                               {"STATUS", "status"},
                                               {"NOT_AFTER", "not_after"}};
  return kColumns;
}

Result<std::string> ReadPemFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument("cannot read " + path);
  std::string text;
  text.assign(std::istreambuf_iterator<char>(in), {});
  if (text.size() > kMaxPemFileBytes) {
    return InvalidArgument(path + ": larger than 64 KiB");
  }
  return text;
}

// Prints the certificate PEM (text output) or the full record (-o json).
Status PrintIssued(const CommandContext& context, const std::string& answer) {
  if (context.json_output()) return context.PrintRecord(answer);
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(answer, ec);
  if (ec || !value.is_object() || !value.as_object().contains("certificate")) {
    return Internal("unexpected certificate response");
  }
  const boost::json::object& record = value.as_object();
  std::cout << record.at("certificate").as_string().c_str();
  std::cerr << "serial " << record.at("serial").as_string().c_str()
            << ", renew after " << record.at("renew_after").as_string().c_str()
            << "\n";
  return Status::Ok();
}

Status CertSign(const CommandContext& context, const CertOptions& options) {
  WARDEN_ASSIGN_OR_RETURN(std::string csr, ReadPemFile(options.csr_file));
  boost::json::object body{{"identity", options.identity}, {"csr", csr}};
  if (options.ttl_seconds > 0) body["ttl_seconds"] = options.ttl_seconds;
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kPost, "/v1/certificates",
                                       boost::json::serialize(body)));
  return PrintIssued(context, answer);
}

Status CertRenew(const CommandContext& context, const CertOptions& options) {
  WARDEN_ASSIGN_OR_RETURN(std::string csr, ReadPemFile(options.csr_file));
  WARDEN_ASSIGN_OR_RETURN(std::string current,
                          ReadPemFile(options.certificate_file));
  boost::json::object body{{"certificate", current}, {"csr", csr}};
  if (options.ttl_seconds > 0) body["ttl_seconds"] = options.ttl_seconds;
  WARDEN_ASSIGN_OR_RETURN(
      std::string answer,
      context.Call(HttpMethod::kPost, "/v1/certificates/renew",
                   boost::json::serialize(body)));
  return PrintIssued(context, answer);
}

Status CertRevoke(const CommandContext& context, const CertOptions& options) {
  WARDEN_ASSIGN_OR_RETURN(
      std::string answer,
      context.Call(
          HttpMethod::kPost,
          "/v1/certificates/" + PathSegment(options.serial) + "/revoke",
          boost::json::serialize(
              boost::json::object{{"reason", options.reason}})));
  return context.PrintRecord(answer);
}

Status CertList(const CommandContext& context, const CertOptions& options) {
  QueryString query("/v1/certificates");
  query.Add("identity", options.identity);
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kGet, query.target()));
  return context.PrintList(answer, CertColumns());
}

Status CertImportCa(const CertOptions& options) {
  WARDEN_ASSIGN_OR_RETURN(std::string cert,
                          ReadPemFile(options.certificate_file));
  WARDEN_ASSIGN_OR_RETURN(std::string key, ReadPemFile(options.csr_file));
  WARDEN_RETURN_IF_ERROR(custody::ImportCa(options.data_dir, cert, key));
  std::printf("imported CA into %s; restart the server to use it\n",
              options.data_dir.c_str());
  return Status::Ok();
}

void AddIssueCommands(CLI::App& certs, CommandContext& context,
                      const std::shared_ptr<CertOptions>& options) {
  CLI::App* sign = certs.add_subcommand("sign", "sign a CSR for an identity");
  sign->add_option("--identity", options->identity, "identity id or name")
      ->required();
  sign->add_option("--csr", options->csr_file, "PEM CSR file")->required();
  sign->add_option("--ttl", options->ttl_seconds, "lifetime in seconds");
  BindCommand(sign, context,
              [&context, options] { return CertSign(context, *options); });
  CLI::App* renew =
      certs.add_subcommand("renew", "renew with the current certificate");
  renew->add_option("--cert", options->certificate_file, "current PEM")
      ->required();
  renew->add_option("--csr", options->csr_file, "CSR signed by its key")
      ->required();
  renew->add_option("--ttl", options->ttl_seconds, "lifetime in seconds");
  BindCommand(renew, context,
              [&context, options] { return CertRenew(context, *options); });
}

}  // namespace

void AddCertCommands(CLI::App& app, CommandContext& context) {
  CLI::App* certs = app.add_subcommand("cert", "short-lived X509-SVIDs");
  certs->require_subcommand(1);
  auto options = std::make_shared<CertOptions>();
  AddIssueCommands(*certs, context, options);
  CLI::App* revoke = certs->add_subcommand("revoke", "revoke by serial");
  revoke->add_option("serial", options->serial, "serial (hex)")->required();
  revoke->add_option("--reason", options->reason, "why")->required();
  BindCommand(revoke, context,
              [&context, options] { return CertRevoke(context, *options); });
  CLI::App* list = certs->add_subcommand("list", "issued certificates");
  list->add_option("--identity", options->identity, "only this identity");
  BindCommand(list, context,
              [&context, options] { return CertList(context, *options); });
  CLI::App* import = certs->add_subcommand(
      "import-ca", "offline: use an intermediate CA (cert + key PEM)");
  import->add_option("--data-dir", options->data_dir, "server data directory")
      ->required();
  import->add_option("--cert", options->certificate_file, "CA certificate")
      ->required();
  import->add_option("--key", options->csr_file, "CA private key")->required();
  BindCommand(import, context, [options] { return CertImportCa(*options); });
}

}  // namespace warden::cli
