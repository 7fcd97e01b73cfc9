#include "cli/audit_verify_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>

#include "audit/audit_chain_verifier.h"
#include "audit/audit_key_files.h"
#include "cli/database_uri_option.h"
#include "cli/exit_codes.h"
#include "core/time_format.h"
#include "server/offline_store.h"

namespace warden::cli {
namespace {

constexpr char kDatabaseFile[] = "warden.db";
constexpr double kBytesPerMb = 1024.0 * 1024.0;

struct VerifyOptions {
  std::string data_dir;
  std::string checkpoint_file;  // empty: DIR/audit.checkpoint if present
  std::string database_uri;     // empty: DIR/warden.db
};

// What the database is checked with, all read before the database.
struct VerifyInputs {
  std::optional<AuditChainKey> key;
  // DIR/audit-checkpoint.pub: checks the checkpoint and the chain anchor.
  std::string public_key;
  std::optional<AuditCheckpoint> checkpoint;
  std::string checkpoint_path;
};

Status Broken(std::string message) {
  return FailedPrecondition(std::move(message), kAuditChainBrokenProblem);
}

Result<VerifyInputs> LoadInputs(const VerifyOptions& options) {
  VerifyInputs inputs;
  WARDEN_ASSIGN_OR_RETURN(inputs.key, LoadAuditChainKey(options.data_dir));
  // Missing only where no server ever ran: then nothing was signed.
  Result<std::string> public_key =
      LoadAuditCheckpointPublicKey(options.data_dir);
  if (public_key.ok()) {
    inputs.public_key = std::move(public_key).value();
  } else if (public_key.status().code() != StatusCode::kNotFound) {
    return public_key.status();
  }
  inputs.checkpoint_path =
      options.checkpoint_file.empty()
          ? AuditFilePath(options.data_dir, kAuditCheckpointFileName)
          : options.checkpoint_file;
  std::error_code ec;
  if (options.checkpoint_file.empty() &&
      !std::filesystem::exists(inputs.checkpoint_path, ec)) {
    return inputs;
  }
  WARDEN_ASSIGN_OR_RETURN(AuditCheckpoint checkpoint,
                          ReadAuditCheckpointFile(inputs.checkpoint_path));
  if (inputs.public_key.empty()) {
    return NotFound(
        AuditFilePath(options.data_dir, kAuditCheckpointPublicKeyFileName) +
        " is missing: the checkpoint cannot be verified");
  }
  const Status signature = VerifyAuditCheckpoint(checkpoint, inputs.public_key);
  if (!signature.ok()) {
    return Broken("checkpoint " + inputs.checkpoint_path + ": " +
                  signature.message());
  }
  inputs.checkpoint = std::move(checkpoint);
  return inputs;
}

void PrintReport(const CommandContext& context, const AuditVerification& report,
                 const VerifyInputs& inputs, double seconds) {
  double mb = static_cast<double>(report.bytes_hashed) / kBytesPerMb;
  double rate = seconds > 0 ? mb / seconds : 0.0;
  if (context.json_output()) {
    boost::json::object json{{"records_checked", report.records_checked},
                             {"bytes_hashed", report.bytes_hashed},
                             {"seconds", seconds},
                             {"last_sequence", report.last_sequence},
                             {"keyed_from", report.keyed_from},
                             {"intact", report.intact()}};
    if (report.first_broken_sequence) {
      json["first_broken_sequence"] = *report.first_broken_sequence;
      json["problem"] = report.problem;
    }
    if (report.missing_records > 0) {
      json["missing_records"] = report.missing_records;
    }
    if (inputs.checkpoint) {
      json["checkpoint"] = {{"sequence", inputs.checkpoint->sequence},
                            {"time", FormatRfc3339(inputs.checkpoint->time)},
                            {"file", inputs.checkpoint_path}};
    }
    if (report.anchor) {
      json["anchor"] = {
          {"sequence", report.anchor->sequence},
          {"hash", report.anchor->hash},
          {"time", FormatRfc3339(FromMicros(report.anchor->time_us))}};
    }
    std::cout << boost::json::serialize(json) << "\n";
    return;
  }
  std::cout << fmt::format(
      "records checked: {} ({})\nhashed: {:.2f} MB in {:.3f} s ({:.1f} "
      "MB/s)\n",
      report.records_checked,
      report.keyed_from > 0
          ? fmt::format("keyed from sequence {}", report.keyed_from)
          : std::string("unkeyed"),
      mb, seconds, rate);
  if (inputs.checkpoint) {
    std::cout << fmt::format("checkpoint: sequence {}, signed {} ({})\n",
                             inputs.checkpoint->sequence,
                             FormatRfc3339(inputs.checkpoint->time),
                             inputs.checkpoint_path);
  }
  if (report.anchor) {
    std::cout << fmt::format(
        "anchor: sequence {} (records up to it archived {}), hash {}\n",
        report.anchor->sequence,
        FormatRfc3339(FromMicros(report.anchor->time_us)), report.anchor->hash);
  }
}

Status Outcome(const AuditVerification& report, const VerifyInputs& inputs) {
  if (report.first_broken_sequence) {
    return Broken(fmt::format("first broken record: sequence {} ({})",
                              *report.first_broken_sequence, report.problem));
  }
  if (report.missing_records > 0) {
    return Broken(fmt::format(
        "truncated: {} records missing after sequence {} (the checkpoint in "
        "{} covers sequence {})",
        report.missing_records, report.last_sequence, inputs.checkpoint_path,
        inputs.checkpoint->sequence));
  }
  if (!inputs.checkpoint && inputs.key) {
    return Broken("no signed checkpoint at " + inputs.checkpoint_path +
                  ": the server ran with an audit key, so a deleted tail "
                  "cannot be ruled out without one (use --checkpoint FILE "
                  "with a witness copy)");
  }
  return Status::Ok();
}

// Without --data-dir: the server verifies its chain (POST /v1/audit/verify)
// with its own key and signed checkpoint; same exit codes.
Status AuditVerifyOnline(const CommandContext& context) {
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kPost, "/v1/audit/verify"));
  WARDEN_ASSIGN_OR_RETURN(boost::json::value body, ParseJsonBody(answer));
  const boost::json::object* check = body.if_object();
  if (check == nullptr || !check->contains("ok")) {
    return Internal("audit verify: unexpected answer");
  }
  if (context.json_output()) {
    std::cout << answer << (answer.ends_with('\n') ? "" : "\n");
  } else {
    const boost::json::value& head = check->at("head");
    std::cout << fmt::format(
        "records checked: {} (online)\nhead: sequence {} ({})\n",
        boost::json::serialize(check->at("records_checked")),
        boost::json::serialize(head.at("sequence")),
        boost::json::serialize(head.at("hash")));
    const boost::json::value* anchor = check->if_contains("anchor");
    if (anchor != nullptr && anchor->is_object()) {
      std::cout << fmt::format("anchor: sequence {} ({})\n",
                               boost::json::serialize(anchor->at("sequence")),
                               boost::json::serialize(anchor->at("hash")));
    }
  }
  if (check->at("ok").is_bool() && check->at("ok").get_bool()) {
    return Status::Ok();
  }
  const boost::json::value& broken = check->at("first_broken");
  if (broken.is_object()) {
    return Broken(fmt::format("first broken record: sequence {} ({})",
                              boost::json::serialize(broken.at("sequence")),
                              std::string(broken.at("problem").as_string())));
  }
  return Broken(
      fmt::format("truncated: {} records missing before the signed "
                  "checkpoint",
                  boost::json::serialize(check->at("missing_records"))));
}

Status AuditVerify(const CommandContext& context,
                   const VerifyOptions& options) {
  if (options.data_dir.empty()) {
    if (!options.checkpoint_file.empty()) {
      return InvalidArgument("audit verify: --checkpoint needs --data-dir");
    }
    return AuditVerifyOnline(context);
  }
  std::filesystem::path path =
      std::filesystem::path(options.data_dir) / kDatabaseFile;
  std::error_code ec;
  // Opening a missing file would create an empty (and "intact") database.
  if (options.database_uri.empty() &&
      !std::filesystem::is_regular_file(path, ec)) {
    return NotFound("audit verify: no database at " + path.string());
  }
  Result<VerifyInputs> inputs = LoadInputs(options);
  if (!inputs.ok()) return inputs.status().WithContext("audit verify");
  const int threads =
      std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1,
                 kMaxVerifyThreads);
  WARDEN_ASSIGN_OR_RETURN(
      std::unique_ptr<Store> store,
      server::OpenOfflineStore(
          path.string(),
          server::OfflineStoreOptions{.read_connections = threads,
                                      .read_mmap_bytes = kVerifyMmapBytes,
                                      .database_uri = options.database_uri,
                                      .audit_key = std::nullopt}));
  AuditVerifyOptions verify;
  verify.key = inputs->key ? &*inputs->key : nullptr;
  verify.checkpoint = inputs->checkpoint ? &*inputs->checkpoint : nullptr;
  verify.threads = threads;
  verify.anchor_public_key = inputs->public_key;
  auto start = std::chrono::steady_clock::now();
  Result<AuditVerification> report = VerifyAuditChain(*store, verify);
  std::chrono::duration<double> elapsed =
      std::chrono::steady_clock::now() - start;
  store->Close();
  if (!report.ok()) return report.status().WithContext("audit verify");
  PrintReport(context, *report, *inputs, elapsed.count());
  return Outcome(*report, *inputs);
}

}  // namespace

void AddAuditVerifyCommand(CLI::App& audit, CommandContext& context) {
  auto options = std::make_shared<VerifyOptions>();
  CLI::App* verify = audit.add_subcommand(
      "verify",
      "check the audit chain against its signed checkpoint: offline with "
      "--data-dir, else on the server");
  verify->add_option("--data-dir", options->data_dir,
                     "server data directory (offline)");
  AddDatabaseUriOption(
      verify, &options->database_uri,
      "with --data-dir (the keys): the replicas' PostgreSQL database")
      ->needs("--data-dir");
  verify->add_option("--checkpoint", options->checkpoint_file,
                     "verify against this checkpoint (a witness file: its "
                     "last line) instead of DIR/audit.checkpoint");
  BindCommand(verify, context,
              [&context, options] { return AuditVerify(context, *options); });
}

}  // namespace warden::cli
