#include "server/online_audit_check.h"

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>

#include "audit/audit_chain_verifier.h"
#include "audit/audit_key_files.h"

namespace warden::server {
namespace {

struct CheckInputs {
  AuditChainKey key;
  std::string checkpoint_path;
  std::string public_key;
};

// The signed checkpoint, or nullopt before the first one is written.
Result<std::optional<AuditCheckpoint>> ReadCheckpoint(
    const CheckInputs& inputs) {
  std::error_code ec;
  if (!std::filesystem::exists(inputs.checkpoint_path, ec)) {
    return std::optional<AuditCheckpoint>();
  }
  WARDEN_ASSIGN_OR_RETURN(AuditCheckpoint checkpoint,
                          ReadAuditCheckpointFile(inputs.checkpoint_path));
  WARDEN_RETURN_IF_ERROR(
      VerifyAuditCheckpoint(checkpoint, inputs.public_key)
          .WithContext("audit checkpoint " + inputs.checkpoint_path));
  return std::optional<AuditCheckpoint>(std::move(checkpoint));
}

// The head the answer names: the last record verified when the chain is
// intact (records appended since are left to the next check), else the
// log's head now. Sequence 0 and "" for an empty log.
Status ReadHead(Store& store, const AuditVerification& verification,
                inventory::AuditChainCheck& check) {
  return store.Read([&](Transaction& tx) -> Status {
    if (verification.intact()) {
      check.head_sequence = verification.last_sequence;
      if (check.head_sequence == 0) return Status::Ok();
      return tx.audit().Scan(check.head_sequence, check.head_sequence,
                             [&](const AuditRecordView& record) {
                               check.head_hash.assign(record.hash);
                               return false;
                             });
    }
    WARDEN_ASSIGN_OR_RETURN(std::optional<AuditRecord> head, tx.audit().Head());
    if (head) {
      check.head_sequence = head->sequence;
      check.head_hash = head->hash;
    }
    return Status::Ok();
  });
}

Result<inventory::AuditChainCheck> Check(Store& store,
                                         const CheckInputs& inputs) {
  const auto started = std::chrono::steady_clock::now();
  WARDEN_ASSIGN_OR_RETURN(std::optional<AuditCheckpoint> checkpoint,
                          ReadCheckpoint(inputs));
  AuditVerifyOptions options;
  options.key = &inputs.key;
  options.checkpoint = checkpoint ? &*checkpoint : nullptr;
  options.threads = kOnlineVerifyThreads;
  options.anchor_public_key = inputs.public_key;
  WARDEN_ASSIGN_OR_RETURN(AuditVerification verification,
                          VerifyAuditChain(store, options));
  inventory::AuditChainCheck check;
  check.records_checked = verification.records_checked;
  check.first_broken_sequence = verification.first_broken_sequence;
  check.problem = verification.problem;
  check.missing_records = verification.missing_records;
  if (checkpoint) check.checkpoint_sequence = checkpoint->sequence;
  if (verification.anchor) {
    check.anchor_sequence = verification.anchor->sequence;
    check.anchor_hash = verification.anchor->hash;
  }
  WARDEN_RETURN_IF_ERROR(ReadHead(store, verification, check));
  check.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - started);
  return check;
}

}  // namespace

inventory::AuditChainChecker OnlineAuditChainChecker(
    Store& store, AuditChainKey key, std::string checkpoint_path,
    std::string public_key) {
  auto inputs = std::make_shared<const CheckInputs>(CheckInputs{
      std::move(key), std::move(checkpoint_path), std::move(public_key)});
  return [&store, inputs] { return Check(store, *inputs); };
}

}  // namespace warden::server
