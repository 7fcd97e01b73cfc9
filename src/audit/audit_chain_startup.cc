#include "audit/audit_chain_startup.h"

#include <fmt/format.h>

#include <boost/json/serialize.hpp>

#include "audit/audit_key_files.h"
#include "core/audit_link_hasher.h"
#include "core/private_file.h"

namespace warden {
namespace {

constexpr char kMismatch[] = "audit-chain-mismatch";

Status Refuse(const std::string& what) {
  return FailedPrecondition(
      "audit chain: " + what +
          "; run `warden audit verify --data-dir DIR` and see "
          "docs/OPERATIONS.md (\"Audit chain\") before starting again",
      kMismatch);
}

// The stored hash of record `sequence`, or nullopt when there is none.
Result<std::optional<std::string>> HashAt(Store& store, int64_t sequence) {
  std::optional<std::string> hash;
  WARDEN_RETURN_IF_ERROR(store.Read([&](Transaction& tx) {
    return tx.audit().Scan(sequence, sequence,
                           [&](const AuditRecordView& record) {
                             hash = std::string(record.hash);
                             return false;
                           });
  }));
  return hash;
}

Result<std::optional<AuditRecord>> ReadHead(Store& store) {
  std::optional<AuditRecord> head;
  WARDEN_RETURN_IF_ERROR(store.Read([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(head, tx.audit().Head());
    return Status::Ok();
  }));
  return head;
}

Result<std::optional<AuditAnchorRecord>> ReadAnchor(Store& store) {
  std::optional<AuditAnchorRecord> anchor;
  WARDEN_RETURN_IF_ERROR(store.Read([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(anchor, tx.audit().Anchor());
    return Status::Ok();
  }));
  return anchor;
}

Status CheckCheckpoint(Store& store, const AuditCheckpointSigner& signer,
                       const std::string& path, int64_t head_sequence) {
  if (!FileExists(path)) return Status::Ok();
  Result<AuditCheckpoint> checkpoint = ReadAuditCheckpointFile(path);
  if (!checkpoint.ok()) return Refuse(checkpoint.status().message());
  const Status signature =
      VerifyAuditCheckpoint(*checkpoint, signer.public_key());
  if (!signature.ok()) return Refuse(path + ": " + signature.message());
  if (checkpoint->sequence > head_sequence) {
    return Refuse(fmt::format(
        "truncated: {} records missing after sequence {} (the signed "
        "checkpoint in {} covers sequence {})",
        checkpoint->sequence - head_sequence, head_sequence, path,
        checkpoint->sequence));
  }
  if (checkpoint->sequence == 0) return Status::Ok();
  WARDEN_ASSIGN_OR_RETURN(std::optional<AuditAnchorRecord> anchor,
                          ReadAnchor(store));
  // Archived and pruned: the anchor holds the last pruned record's hash,
  // and a checkpoint before it has nothing left to be compared with.
  if (anchor && checkpoint->sequence < anchor->sequence) return Status::Ok();
  WARDEN_ASSIGN_OR_RETURN(std::optional<std::string> hash,
                          HashAt(store, checkpoint->sequence));
  if (anchor && checkpoint->sequence == anchor->sequence) hash = anchor->hash;
  if (hash != checkpoint->hash) {
    return Refuse(
        fmt::format("record {} differs from the signed checkpoint in {}",
                    checkpoint->sequence, path));
  }
  return Status::Ok();
}

Status CheckKeyVerifiesHead(const AuditChainKey& key, const AuditRecord& head) {
  AuditLinkHasher hasher(&key);
  const AuditHexDigest hash = hasher.Hash(ViewOf(head));
  if (head.hash == std::string_view(hash.data(), hash.size())) {
    return Status::Ok();
  }
  return Refuse(fmt::format(
      "the audit key (id {}) does not verify the newest record (sequence "
      "{}): {} was replaced or lost, or the record rewritten",
      key.id(), head.sequence, kAuditKeyFileName));
}

Status AppendKeyedMarker(Store& store, const AuditChainKey& key,
                         const AuditCheckpointSigner& signer,
                         int64_t unkeyed_records, const Clock& clock) {
  AuditEvent event;
  event.time = clock.Now();
  event.actor = "system";
  event.action = kAuditChainKeyedAction;
  event.target = "audit";
  event.outcome = "ok";
  event.details = boost::json::serialize(
      boost::json::object{{"key_id", key.id()},
                          {"checkpoint_key_id", signer.key_id()},
                          {"unkeyed_records", unkeyed_records}});
  return store.Write(
      [&](Transaction& tx) { return tx.audit().Append(event).status(); });
}

}  // namespace

Status StartAuditChain(Store& store, const AuditChainKey& key,
                       AuditCheckpointer& checkpointer,
                       const std::string& checkpoint_path, const Clock& clock) {
  WARDEN_ASSIGN_OR_RETURN(std::optional<AuditRecord> head, ReadHead(store));
  const int64_t head_sequence = head ? head->sequence : 0;
  WARDEN_RETURN_IF_ERROR(CheckCheckpoint(store, checkpointer.signer(),
                                         checkpoint_path, head_sequence));
  if (head && head->format == AuditHashFormat::kHmacSha256) {
    WARDEN_RETURN_IF_ERROR(CheckKeyVerifiesHead(key, *head));
  } else {
    WARDEN_RETURN_IF_ERROR(AppendKeyedMarker(store, key, checkpointer.signer(),
                                             head_sequence, clock));
    WARDEN_ASSIGN_OR_RETURN(head, ReadHead(store));
  }
  AuditHead anchored;
  anchored.sequence = head->sequence;
  anchored.hash = head->hash;
  return checkpointer.RecordNow(anchored);
}

}  // namespace warden
