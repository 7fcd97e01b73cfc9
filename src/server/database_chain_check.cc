#include "server/database_chain_check.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <thread>

#include "server/offline_store.h"

namespace warden::server {
namespace {

Status Outcome(const AuditVerification& report,
               const AuditCheckpoint* checkpoint) {
  if (report.first_broken_sequence) {
    return FailedPrecondition(
        fmt::format("audit chain: first broken record: sequence {} ({})",
                    *report.first_broken_sequence, report.problem),
        kChainBrokenProblem);
  }
  if (report.missing_records > 0) {
    return FailedPrecondition(
        fmt::format("audit chain: truncated: {} records missing after "
                    "sequence {} (the checkpoint covers sequence {})",
                    report.missing_records, report.last_sequence,
                    checkpoint != nullptr ? checkpoint->sequence : 0),
        kChainBrokenProblem);
  }
  return Status::Ok();
}

Result<std::string> HeadHash(Store& store, int64_t sequence) {
  std::string hash;
  if (sequence == 0) return hash;
  WARDEN_RETURN_IF_ERROR(store.Read([&](Transaction& tx) {
    return tx.audit().Scan(sequence, sequence,
                           [&](const AuditRecordView& record) {
                             hash.assign(record.hash);
                             return false;
                           });
  }));
  return hash;
}

// The store closed its last connection, which folds SQLite's WAL back into
// the file. A WAL left behind would mean the file alone is not the whole
// database.
Status CheckSelfContained(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::exists(path + "-wal", ec) &&
      std::filesystem::file_size(path + "-wal", ec) > 0) {
    return Internal(path + ": SQLite left a WAL behind after closing");
  }
  return Status::Ok();
}

}  // namespace

Result<DatabaseChainCheck> CheckDatabaseChain(
    const std::string& path, const AuditChainKey* key,
    const AuditCheckpoint* checkpoint) {
  const int threads =
      std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1,
                 kMaxVerifyThreads);
  WARDEN_ASSIGN_OR_RETURN(
      std::unique_ptr<Store> store,
      OpenOfflineStore(path,
                       OfflineStoreOptions{.read_connections = threads,
                                           .read_mmap_bytes = kVerifyMmapBytes,
                                           .database_uri = {}}));
  AuditVerifyOptions options;
  options.key = key;
  options.checkpoint = checkpoint;
  options.threads = threads;
  DatabaseChainCheck check;
  Result<AuditVerification> report = VerifyAuditChain(*store, options);
  Result<std::string> head = report.ok()
                                 ? HeadHash(*store, report->last_sequence)
                                 : Result<std::string>(report.status());
  store->Close();
  if (!head.ok()) return head.status();
  WARDEN_RETURN_IF_ERROR(CheckSelfContained(path));
  check.verification = *report;
  check.head_hash = *std::move(head);
  WARDEN_RETURN_IF_ERROR(Outcome(check.verification, checkpoint));
  return check;
}

}  // namespace warden::server
