#include "cli/audit_verify_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/exit_codes.h"
#include "service/audit_service.h"
#include "store/sqlite/sqlite_store.h"

namespace warden::cli {
namespace {

constexpr char kDatabaseFile[] = "warden.db";
constexpr double kBytesPerMb = 1024.0 * 1024.0;

struct VerifyOptions {
  std::string data_dir;
};

void PrintReport(const CommandContext& context, const AuditVerification& report,
                 double seconds) {
  double mb = static_cast<double>(report.bytes_hashed) / kBytesPerMb;
  double rate = seconds > 0 ? mb / seconds : 0.0;
  if (context.json_output()) {
    boost::json::object json{{"records_checked", report.records_checked},
                             {"bytes_hashed", report.bytes_hashed},
                             {"seconds", seconds},
                             {"intact", !report.first_broken_sequence}};
    if (report.first_broken_sequence) {
      json["first_broken_sequence"] = *report.first_broken_sequence;
      json["problem"] = report.problem;
    }
    std::cout << boost::json::serialize(json) << "\n";
    return;
  }
  std::cout << fmt::format(
      "records checked: {}\nhashed: {:.2f} MB in {:.3f} s ({:.1f} MB/s)\n",
      report.records_checked, mb, seconds, rate);
}

Status AuditVerify(const CommandContext& context,
                   const VerifyOptions& options) {
  std::filesystem::path path =
      std::filesystem::path(options.data_dir) / kDatabaseFile;
  std::error_code ec;
  // Opening a missing file would create an empty (and "intact") database.
  if (!std::filesystem::is_regular_file(path, ec)) {
    return NotFound("audit verify: no database at " + path.string());
  }
  WARDEN_ASSIGN_OR_RETURN(
      std::unique_ptr<Store> store,
      OpenSqliteStore(SqliteStoreOptions{.path = path.string()}));
  auto start = std::chrono::steady_clock::now();
  Result<AuditVerification> report = VerifyAuditChain(*store);
  std::chrono::duration<double> elapsed =
      std::chrono::steady_clock::now() - start;
  store->Close();
  if (!report.ok()) return report.status().WithContext("audit verify");
  PrintReport(context, *report, elapsed.count());
  if (!report->first_broken_sequence) return Status::Ok();
  return FailedPrecondition(
      fmt::format("first broken record: sequence {} ({})",
                  *report->first_broken_sequence, report->problem),
      kAuditChainBrokenProblem);
}

}  // namespace

void AddAuditVerifyCommand(CLI::App& audit, CommandContext& context) {
  auto options = std::make_shared<VerifyOptions>();
  CLI::App* verify =
      audit.add_subcommand("verify", "check the hash chain offline");
  verify->add_option("--data-dir", options->data_dir, "server data directory")
      ->required();
  BindCommand(verify, context,
              [&context, options] { return AuditVerify(context, *options); });
}

}  // namespace warden::cli
