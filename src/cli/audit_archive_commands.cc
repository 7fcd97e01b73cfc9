#include "cli/audit_archive_commands.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "audit/audit_archive_verifier.h"
#include "audit/audit_archiver.h"
#include "audit/audit_key_files.h"
#include "cli/database_uri_option.h"
#include "cli/exit_codes.h"
#include "core/private_file.h"
#include "core/time_format.h"
#include "server/offline_store.h"

namespace warden::cli {
namespace {

constexpr char kDatabaseFile[] = "warden.db";
constexpr double kBytesPerMb = 1024.0 * 1024.0;
// Ten years: a longer retention is not one worth a flag.
constexpr int kMaxRetentionDays = 3650;

struct ArchiveOptions {
  std::string data_dir;
  std::string database_uri;
  int older_than_days = -1;
  std::string out;
  int64_t max_records = 0;
};

struct VerifyArchiveOptions {
  std::string file;
  std::string checkpoint_key;
  std::string data_dir;
  std::string previous;
};

Status Broken(const Status& status) {
  return FailedPrecondition(status.message(), kAuditChainBrokenProblem);
}

// The newest signed checkpoint of DIR: nothing after it is pruned.
Result<AuditCheckpoint> ReadSignedCheckpoint(const std::string& data_dir,
                                             const AuditKeys& keys) {
  const std::string path = AuditFilePath(data_dir, kAuditCheckpointFileName);
  if (!FileExists(path)) {
    return NotFound(path +
                    " is missing: archiving needs the signed "
                    "checkpoint (start the server once)");
  }
  WARDEN_ASSIGN_OR_RETURN(AuditCheckpoint checkpoint,
                          ReadAuditCheckpointFile(path));
  const Status signature =
      VerifyAuditCheckpoint(checkpoint, keys.signer.public_key());
  if (!signature.ok()) {
    return FailedPrecondition(path + ": " + signature.message(),
                              kAuditChainBrokenProblem);
  }
  return checkpoint;
}

// Covers the prune's own record with a checkpoint, unless the file already
// holds a newer one (a server running on DIR writes its own).
Status RecordNewHead(Store& store, const std::string& data_dir,
                     const AuditKeys& keys, const Clock& clock) {
  AuditCheckpoint checkpoint;
  WARDEN_RETURN_IF_ERROR(store.Read([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(std::optional<AuditRecord> head, tx.audit().Head());
    if (head) {
      checkpoint.sequence = head->sequence;
      checkpoint.hash = head->hash;
    }
    return Status::Ok();
  }));
  const std::string path = AuditFilePath(data_dir, kAuditCheckpointFileName);
  Result<AuditCheckpoint> current = ReadAuditCheckpointFile(path);
  if (checkpoint.sequence == 0 ||
      (current.ok() && current->sequence >= checkpoint.sequence)) {
    return Status::Ok();
  }
  checkpoint.time = clock.Now();
  keys.signer.Sign(checkpoint);
  return WritePrivateFileAtomically(path,
                                    EncodeAuditCheckpoint(checkpoint) + "\n");
}

void PrintArchived(const CommandContext& context,
                   const AuditArchiveOutcome& outcome, Timestamp cutoff,
                   double seconds) {
  const AuditArchiveManifest& m = outcome.manifest;
  const double rate =
      seconds > 0 ? static_cast<double>(m.records) / seconds : 0.0;
  if (context.json_output()) {
    boost::json::object json{{"archived", outcome.archived},
                             {"older_than", FormatRfc3339(cutoff)},
                             {"seconds", seconds}};
    if (outcome.archived) {
      json["first_sequence"] = m.first_sequence;
      json["last_sequence"] = m.last_sequence;
      json["records"] = m.records;
      json["deleted"] = outcome.deleted;
      json["file_bytes"] = outcome.file_bytes;
      json["raw_bytes"] = outcome.raw_bytes;
      json["prune_seconds"] =
          std::chrono::duration<double>(outcome.prune_time).count();
      json["records_sha256"] = m.records_sha256;
      json["anchor"] = {{"sequence", m.last_sequence}, {"hash", m.last_hash}};
    }
    std::cout << boost::json::serialize(json) << "\n";
    return;
  }
  if (!outcome.archived) {
    std::cout << fmt::format(
        "nothing to archive: no record before {} that the signed checkpoint "
        "covers\n",
        FormatRfc3339(cutoff));
    return;
  }
  std::cout << fmt::format(
      "archived {} records (sequence {}..{}) in {:.3f} s ({:.0f} records/s)\n"
      "archive: {:.2f} MB ({:.2f} MB uncompressed), records sha256 {}\n"
      "pruned: {} records in {:.3f} s; the chain now starts after sequence "
      "{} (hash {})\n",
      m.records, m.first_sequence, m.last_sequence, seconds, rate,
      static_cast<double>(outcome.file_bytes) / kBytesPerMb,
      static_cast<double>(outcome.raw_bytes) / kBytesPerMb, m.records_sha256,
      outcome.deleted,
      std::chrono::duration<double>(outcome.prune_time).count(),
      m.last_sequence, m.last_hash);
}

Status AuditArchive(const CommandContext& context,
                    const ArchiveOptions& options) {
  const std::filesystem::path db =
      std::filesystem::path(options.data_dir) / kDatabaseFile;
  std::error_code ec;
  if (options.database_uri.empty() &&
      !std::filesystem::is_regular_file(db, ec)) {
    return NotFound("audit archive: no database at " + db.string());
  }
  WARDEN_ASSIGN_OR_RETURN(AuditKeys keys, LoadAuditKeys(options.data_dir));
  WARDEN_ASSIGN_OR_RETURN(AuditCheckpoint checkpoint,
                          ReadSignedCheckpoint(options.data_dir, keys));
  WARDEN_ASSIGN_OR_RETURN(
      std::unique_ptr<Store> store,
      server::OpenOfflineStore(
          db.string(),
          server::OfflineStoreOptions{.read_connections = 1,
                                      .read_mmap_bytes = 0,
                                      .database_uri = options.database_uri,
                                      .audit_key = keys.chain_key}));
  SystemClock clock;
  AuditArchiveOptions archive;
  archive.older_than =
      clock.Now() - std::chrono::hours(24) * options.older_than_days;
  archive.path = options.out;
  archive.key = &keys.chain_key;
  archive.signer = &keys.signer;
  archive.checkpoint_sequence = checkpoint.sequence;
  archive.actor = "cli:audit-archive";
  archive.max_records = options.max_records;
  archive.clock = &clock;
  const auto started = std::chrono::steady_clock::now();
  Result<AuditArchiveOutcome> outcome = ArchiveAuditLog(*store, archive);
  const std::chrono::duration<double> elapsed =
      std::chrono::steady_clock::now() - started;
  Status recorded = Status::Ok();
  if (outcome.ok() && outcome->archived) {
    recorded = RecordNewHead(*store, options.data_dir, keys, clock);
  }
  store->Close();
  if (!outcome.ok()) return outcome.status();
  PrintArchived(context, *outcome, archive.older_than, elapsed.count());
  return recorded.WithContext("audit archive: checkpoint of the new head");
}

Result<AuditArchiveVerifyOptions> VerifyKeys(
    const VerifyArchiveOptions& options, std::optional<AuditChainKey>& key) {
  AuditArchiveVerifyOptions verify;
  if (!options.checkpoint_key.empty()) {
    WARDEN_ASSIGN_OR_RETURN(verify.public_key,
                            LoadAuditPublicKeyFile(options.checkpoint_key));
  } else if (!options.data_dir.empty()) {
    WARDEN_ASSIGN_OR_RETURN(verify.public_key,
                            LoadAuditCheckpointPublicKey(options.data_dir));
  } else {
    return InvalidArgument(
        "audit verify-archive: needs --checkpoint-key FILE (a copy of "
        "DIR/audit-checkpoint.pub) or --data-dir DIR");
  }
  if (!options.data_dir.empty()) {
    WARDEN_ASSIGN_OR_RETURN(key, LoadAuditChainKey(options.data_dir));
    verify.key = key ? &*key : nullptr;
  }
  return verify;
}

Result<AuditArchiveSummary> VerifyOne(const std::string& file,
                                      const AuditArchiveVerifyOptions& verify) {
  Result<AuditArchiveSummary> summary = VerifyAuditArchiveFile(file, verify);
  if (!summary.ok() &&
      summary.status().problem() == kAuditArchiveBrokenProblem) {
    return Broken(summary.status());
  }
  return summary;
}

void PrintVerified(const CommandContext& context,
                   const VerifyArchiveOptions& options,
                   const AuditArchiveSummary& summary) {
  const AuditArchiveManifest& m = summary.manifest;
  if (context.json_output()) {
    boost::json::object json{{"ok", true},
                             {"file", options.file},
                             {"first_sequence", m.first_sequence},
                             {"last_sequence", m.last_sequence},
                             {"records", m.records},
                             {"anchor_hash", m.anchor_hash},
                             {"last_hash", m.last_hash},
                             {"created_at", FormatRfc3339(m.created_at)},
                             {"key_id", m.key_id},
                             {"rehashed", summary.rehashed}};
    if (!options.previous.empty()) json["previous"] = options.previous;
    std::cout << boost::json::serialize(json) << "\n";
    return;
  }
  std::cout << fmt::format(
      "archive {}: {} records, sequence {}..{}, signed by key {} at {}\n"
      "anchor hash {}\nlast hash {}\nre-hashed {} of {} records{}\n",
      options.file, m.records, m.first_sequence, m.last_sequence, m.key_id,
      FormatRfc3339(m.created_at), m.anchor_hash, m.last_hash, summary.rehashed,
      m.records,
      summary.rehashed < m.records
          ? " (keyed records are covered by the signed digest; --data-dir "
            "re-hashes them with audit.key)"
          : "");
  if (!options.previous.empty()) {
    std::cout << "continues " << options.previous << "\n";
  }
}

Status AuditVerifyArchive(const CommandContext& context,
                          const VerifyArchiveOptions& options) {
  std::optional<AuditChainKey> key;
  WARDEN_ASSIGN_OR_RETURN(AuditArchiveVerifyOptions verify,
                          VerifyKeys(options, key));
  WARDEN_ASSIGN_OR_RETURN(AuditArchiveSummary summary,
                          VerifyOne(options.file, verify));
  if (!options.previous.empty()) {
    WARDEN_ASSIGN_OR_RETURN(AuditArchiveSummary previous,
                            VerifyOne(options.previous, verify));
    const Status linked =
        CheckAuditArchiveLink(previous.manifest, summary.manifest);
    if (!linked.ok()) return Broken(linked.WithContext(options.file));
  }
  PrintVerified(context, options, summary);
  return Status::Ok();
}

void AddArchive(CLI::App& audit, CommandContext& context) {
  auto options = std::make_shared<ArchiveOptions>();
  CLI::App* archive = audit.add_subcommand(
      "archive",
      "offline: move records older than DAYS days to a signed, compressed "
      "archive and prune them from the database");
  archive->add_option("--data-dir", options->data_dir, "server data directory")
      ->required();
  AddDatabaseUriOption(archive, &options->database_uri,
                       "the replicas' PostgreSQL database (keys from "
                       "--data-dir)");
  archive
      ->add_option("--older-than", options->older_than_days,
                   "archive records older than this many days (0: every "
                   "record the signed checkpoint covers)")
      ->required()
      ->check(CLI::Range(0, kMaxRetentionDays));
  archive->add_option("--out", options->out, "archive file to create")
      ->required();
  archive
      ->add_option("--max-records", options->max_records,
                   "archive at most this many records in this run")
      ->check(CLI::PositiveNumber);
  BindCommand(archive, context,
              [&context, options] { return AuditArchive(context, *options); });
}

void AddVerifyArchive(CLI::App& audit, CommandContext& context) {
  auto options = std::make_shared<VerifyArchiveOptions>();
  CLI::App* verify = audit.add_subcommand(
      "verify-archive",
      "verify an audit archive on its own: signature, hashes, count, "
      "linkage");
  verify->add_option("file", options->file, "the archive")->required();
  verify->add_option("--checkpoint-key", options->checkpoint_key,
                     "the checkpoint public key (a copy of "
                     "DIR/audit-checkpoint.pub)");
  verify->add_option("--data-dir", options->data_dir,
                     "take the keys from this data directory (also "
                     "re-hashes keyed records with audit.key)");
  verify->add_option("--previous", options->previous,
                     "the archive this one must continue");
  BindCommand(verify, context, [&context, options] {
    return AuditVerifyArchive(context, *options);
  });
}

}  // namespace

void AddAuditArchiveCommands(CLI::App& audit, CommandContext& context) {
  AddArchive(audit, context);
  AddVerifyArchive(audit, context);
}

}  // namespace warden::cli
