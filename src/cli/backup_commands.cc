#include "cli/backup_commands.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <iostream>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include "cli/database_uri_option.h"
#include "core/time_format.h"
#include "server/data_dir_backup.h"
#include "server/data_dir_restore.h"

namespace warden::cli {
namespace {

constexpr double kBytesPerMb = 1024.0 * 1024.0;

struct BackupOptions {
  std::string data_dir;
  std::string file;          // OUT for backup, IN for restore
  std::string database_uri;  // --db: refused, with the PostgreSQL tools
};

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) {
    out += (out.empty() ? "" : ", ") + name;
  }
  return out;
}

double Mb(int64_t bytes) { return static_cast<double>(bytes) / kBytesPerMb; }

boost::json::object AuditJson(const server::BackupManifest& manifest) {
  boost::json::object audit{{"head_sequence", manifest.audit_head_sequence},
                            {"head_hash", manifest.audit_head_hash},
                            {"keyed_from", manifest.audit_keyed_from}};
  audit["checkpoint_sequence"] =
      manifest.checkpoint_sequence
          ? boost::json::value(*manifest.checkpoint_sequence)
          : boost::json::value(nullptr);
  return audit;
}

std::string CheckpointText(const server::BackupManifest& manifest) {
  return manifest.checkpoint_sequence
             ? fmt::format("signed checkpoint at sequence {}",
                           *manifest.checkpoint_sequence)
             : std::string("no signed checkpoint");
}

void PrintBackup(const CommandContext& context, const std::string& out,
                 const server::DataDirBackup& backup) {
  const server::BackupManifest& m = backup.manifest;
  const double rate =
      backup.seconds > 0 ? Mb(backup.database_bytes) / backup.seconds : 0.0;
  if (context.json_output()) {
    boost::json::array key_files;
    for (const std::string& name : m.key_files) key_files.emplace_back(name);
    boost::json::object json{{"file", out},
                             {"bytes", backup.file_bytes},
                             {"database_bytes", backup.database_bytes},
                             {"tables", m.tables},
                             {"rows", m.rows},
                             {"audit", AuditJson(m)},
                             {"records_verified", backup.records_verified},
                             {"key_files_not_included", std::move(key_files)},
                             {"seconds", backup.seconds}};
    std::cout << boost::json::serialize(json) << "\n";
    return;
  }
  std::cout << fmt::format(
      "backup written: {} ({:.2f} MB)\n"
      "database: {:.2f} MB, {} rows in {} tables\n"
      "audit: head sequence {} ({} records verified, {})\n"
      "took {:.3f} s ({:.1f} MB/s)\n",
      out, Mb(backup.file_bytes), Mb(backup.database_bytes), m.rows, m.tables,
      m.audit_head_sequence, backup.records_verified, CheckpointText(m),
      backup.seconds, rate);
  if (!m.key_files.empty()) {
    std::cout << "not in the backup (keep them apart, with their own "
                 "custody): "
              << Join(m.key_files) << "\n";
  }
}

Status Backup(const CommandContext& context, const BackupOptions& options) {
  if (!options.database_uri.empty()) {
    return FailedPrecondition(
        "backup: --db names a PostgreSQL database; back it up with "
        "PostgreSQL's tools (pg_dump --format=custom, or pg_basebackup) and "
        "keep one replica's key files apart (docs/OPERATIONS.md)");
  }
  Result<server::DataDirBackup> backup =
      server::BackupDataDirectory(options.data_dir, options.file);
  if (!backup.ok()) return backup.status().WithContext("backup");
  PrintBackup(context, options.file, *backup);
  return Status::Ok();
}

void PrintMissingKeys(const std::string& data_dir,
                      const server::DataDirRestore& restore) {
  if (restore.missing_key_files.empty()) return;
  std::cerr << fmt::format(
      "warning: the source data dir had key files that {} lacks: {}\n"
      "  put them back from their own custody before `warden serve`; it "
      "refuses to start without them rather than use new keys\n",
      data_dir, Join(restore.missing_key_files));
  if (restore.kek_missing) {
    std::cerr << "warning: no key-encryption key (DIR/kek, or WARDEN_KEK): "
                 "secrets, OAuth signing keys and TOTP keys in this database "
                 "stay sealed until the same KEK is back (by design, a backup "
                 "never holds it)\n";
  }
}

void PrintRestore(const CommandContext& context, const BackupOptions& options,
                  const server::DataDirRestore& restore) {
  const server::BackupManifest& m = restore.manifest;
  if (context.json_output()) {
    boost::json::array missing;
    for (const std::string& name : restore.missing_key_files) {
      missing.emplace_back(name);
    }
    boost::json::object json{{"data_dir", options.data_dir},
                             {"backup_created_at", FormatRfc3339(m.created_at)},
                             {"source", m.source},
                             {"database_bytes", restore.database_bytes},
                             {"tables", m.tables},
                             {"rows", m.rows},
                             {"audit", AuditJson(m)},
                             {"records_verified", restore.records_verified},
                             {"missing_key_files", std::move(missing)},
                             {"kek_missing", restore.kek_missing},
                             {"seconds", restore.seconds}};
    std::cout << boost::json::serialize(json) << "\n";
  } else {
    std::cout << fmt::format(
        "restored {} into {}\n"
        "backup of {} taken {}\n"
        "database: {:.2f} MB, {} rows in {} tables\n"
        "audit chain verified: {} records, head sequence {} ({})\n",
        options.file, options.data_dir, m.source, FormatRfc3339(m.created_at),
        Mb(restore.database_bytes), m.rows, m.tables, restore.records_verified,
        m.audit_head_sequence, CheckpointText(m));
  }
  PrintMissingKeys(options.data_dir, restore);
}

Status Restore(const CommandContext& context, const BackupOptions& options) {
  if (!options.database_uri.empty()) {
    return FailedPrecondition(
        "restore: --db names a PostgreSQL database; restore it with "
        "pg_restore (docs/OPERATIONS.md)");
  }
  Result<server::DataDirRestore> restore =
      server::RestoreDataDirectory(options.file, options.data_dir);
  if (!restore.ok()) {
    return restore.status().WithContext("restore (nothing written)");
  }
  PrintRestore(context, options, *restore);
  return Status::Ok();
}

}  // namespace

void AddBackupCommands(CLI::App& app, CommandContext& context) {
  auto backup_options = std::make_shared<BackupOptions>();
  CLI::App* backup = app.add_subcommand(
      "backup",
      "online backup of a data dir's database and audit checkpoint into one "
      "file (the server may keep running; key files are never included)");
  backup
      ->add_option("--data-dir", backup_options->data_dir,
                   "server data directory")
      ->required();
  backup->add_option("out", backup_options->file, "the backup file to write")
      ->required();
  AddDatabaseUriOption(backup, &backup_options->database_uri,
                       "refused: PostgreSQL is backed up with pg_dump");
  BindCommand(backup, context, [&context, backup_options] {
    return Backup(context, *backup_options);
  });

  auto restore_options = std::make_shared<BackupOptions>();
  CLI::App* restore = app.add_subcommand(
      "restore",
      "restore a backup into a new data dir, verifying its digests and audit "
      "chain (put the key files in DIR first)");
  restore->add_option("in", restore_options->file, "the backup file")
      ->required();
  restore
      ->add_option("--data-dir", restore_options->data_dir,
                   "the data directory to create (or an empty one)")
      ->required();
  AddDatabaseUriOption(restore, &restore_options->database_uri,
                       "refused: PostgreSQL is restored with pg_restore");
  BindCommand(restore, context, [&context, restore_options] {
    return Restore(context, *restore_options);
  });
}

}  // namespace warden::cli
