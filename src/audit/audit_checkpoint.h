// Signed checkpoints of the audit chain's head, kept outside the database.
//
// A checkpoint says "the chain had `sequence` records and record `sequence`
// had link hash `hash`", signed with Ed25519 by the server's checkpoint key
// (DIR/audit-checkpoint.key). Verification compares the database with it:
// a log that ends before the checkpoint's sequence lost its tail; a record
// at that sequence with another hash was rewritten. This is the signed tree
// head of transparency logs (RFC 9162 section 4.10), for a hash chain.
//
// Wire form: one JSON object on one line, e.g.
//   {"format":"warden-audit-checkpoint-v1","sequence":1042,
//    "hash":"<64 hex>","time":"2026-11-24T09:00:00.123456Z",
//    "key_id":"<16 hex>","signature":"<base64url, 64 bytes>"}
// The signature covers SigningInput(): the format tag, sequence, hash, time
// in microseconds and key id, one per line; never the JSON bytes, so field
// order and spacing do not matter. DIR/audit.checkpoint holds one object;
// a witness file holds one per line, newest last.
//
// Thread safety: AuditCheckpointSigner is immutable after construction;
// everything here is thread-safe.
#ifndef WARDEN_AUDIT_AUDIT_CHECKPOINT_H_
#define WARDEN_AUDIT_AUDIT_CHECKPOINT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"

namespace warden {

inline constexpr char kAuditCheckpointFormat[] = "warden-audit-checkpoint-v1";

// A checkpoint is about 300 bytes; anything much longer is not one. Bounds
// what the parser reads from an untrusted file.
inline constexpr size_t kMaxAuditCheckpointBytes = 4096;

struct AuditCheckpoint {
  int64_t sequence = 0;   // 0: the empty log (hash is the genesis hash)
  std::string hash;       // 64 lowercase hex digits
  Timestamp time{};       // when the checkpoint was made
  std::string key_id;     // the signing key's id (16 lowercase hex digits)
  std::string signature;  // 64 raw bytes
};

// The bytes the signature covers.
std::string SigningInput(const AuditCheckpoint& checkpoint);

// One JSON object, no trailing newline.
std::string EncodeAuditCheckpoint(const AuditCheckpoint& checkpoint);

// Parses one checkpoint object (surrounding whitespace allowed). Does not
// check the signature. kInvalidArgument ("audit-checkpoint-malformed")
// naming the field on anything else: not JSON, over
// kMaxAuditCheckpointBytes, wrong format tag, missing or mistyped field,
// negative sequence, hash or key id not lowercase hex of the right length,
// signature not base64url of 64 bytes, time not RFC 3339.
Result<AuditCheckpoint> ParseAuditCheckpoint(std::string_view text);

// The newest checkpoint of a JSON Lines text (a witness file): its last
// non-empty line; a single object works too. kInvalidArgument when there
// is no line or the last one does not parse.
Result<AuditCheckpoint> ParseLastAuditCheckpoint(std::string_view text);

// Signs checkpoints with an Ed25519 key derived from a 32-byte seed.
class AuditCheckpointSigner {
 public:
  static constexpr size_t kSeedBytes = 32;
  static constexpr size_t kPublicKeyBytes = 32;

  // kInvalidArgument unless `seed` is kSeedBytes long.
  static Result<AuditCheckpointSigner> FromSeed(std::string_view seed);

  // Fills key_id and signature.
  void Sign(AuditCheckpoint& checkpoint) const;

  // The 64-byte detached Ed25519 signature of `message`. For the other
  // signed audit documents (chain anchors, archive manifests), whose
  // signing inputs start with their own format tag, so no signature made
  // for one kind of document verifies as another.
  std::string SignMessage(std::string_view message) const;

  const std::string& public_key() const { return public_key_; }  // 32 bytes
  const std::string& key_id() const { return key_id_; }

 private:
  AuditCheckpointSigner() = default;

  std::string secret_key_;  // libsodium's 64-byte form (seed + public key)
  std::string public_key_;
  std::string key_id_;
};

// The id of an Ed25519 public key: the first 8 bytes of its SHA-256, hex.
std::string AuditCheckpointKeyId(std::string_view public_key);

// OK when `checkpoint` was signed by `public_key` (32 bytes).
// kFailedPrecondition ("audit-checkpoint-signature") otherwise, naming both
// key ids when they differ.
Status VerifyAuditCheckpoint(const AuditCheckpoint& checkpoint,
                             std::string_view public_key);

// OK when `signature` is `public_key`'s (32 bytes) detached signature of
// `message` and `key_id` is that key's id. kFailedPrecondition with
// `problem` as its problem type otherwise, the message naming `what` and
// both key ids when they differ.
Status VerifyAuditSignature(std::string_view what, std::string_view message,
                            std::string_view key_id, std::string_view signature,
                            std::string_view public_key,
                            std::string_view problem);

}  // namespace warden

#endif  // WARDEN_AUDIT_AUDIT_CHECKPOINT_H_
