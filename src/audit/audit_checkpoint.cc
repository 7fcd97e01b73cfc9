#include "audit/audit_checkpoint.h"

#include <sodium.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "core/audit_record.h"
#include "core/crypto.h"
#include "core/json_text.h"
#include "core/time_format.h"

namespace warden {
namespace {

constexpr char kMalformed[] = "audit-checkpoint-malformed";
constexpr size_t kHashHexDigits = 64;
constexpr size_t kKeyIdBytes = 8;
// A checkpoint is a flat object: nothing in it nests.
constexpr int kMaxCheckpointJsonDepth = 2;

Status Malformed(std::string_view what) {
  return InvalidArgument("audit checkpoint: " + std::string(what), kMalformed);
}

bool IsLowerHex(std::string_view text, size_t digits) {
  if (text.size() != digits) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Result<std::string_view> StringField(const boost::json::object& object,
                                     std::string_view name) {
  const boost::json::value* value = object.if_contains(name);
  if (value == nullptr || !value->is_string()) {
    return Malformed(std::string(name) + ": missing or not a string");
  }
  const boost::json::string& text = value->get_string();
  return std::string_view(text.data(), text.size());
}

Result<int64_t> SequenceField(const boost::json::object& object) {
  const boost::json::value* value = object.if_contains("sequence");
  if (value != nullptr && value->is_int64() && value->get_int64() >= 0) {
    return value->get_int64();
  }
  return Malformed("sequence: missing or not a non-negative integer");
}

Result<AuditCheckpoint> FromObject(const boost::json::object& object) {
  WARDEN_ASSIGN_OR_RETURN(std::string_view format,
                          StringField(object, "format"));
  if (format != kAuditCheckpointFormat) {
    return Malformed("format: expected \"" +
                     std::string(kAuditCheckpointFormat) + "\"");
  }
  AuditCheckpoint checkpoint;
  WARDEN_ASSIGN_OR_RETURN(checkpoint.sequence, SequenceField(object));
  WARDEN_ASSIGN_OR_RETURN(std::string_view hash, StringField(object, "hash"));
  if (!IsLowerHex(hash, kHashHexDigits)) {
    return Malformed("hash: not 64 lowercase hex digits");
  }
  checkpoint.hash = hash;
  WARDEN_ASSIGN_OR_RETURN(std::string_view time, StringField(object, "time"));
  Result<Timestamp> parsed_time = ParseRfc3339(time);
  if (!parsed_time.ok()) return Malformed("time: not an RFC 3339 date-time");
  checkpoint.time = *parsed_time;
  WARDEN_ASSIGN_OR_RETURN(std::string_view key_id,
                          StringField(object, "key_id"));
  if (!IsLowerHex(key_id, 2 * kKeyIdBytes)) {
    return Malformed("key_id: not 16 lowercase hex digits");
  }
  checkpoint.key_id = key_id;
  WARDEN_ASSIGN_OR_RETURN(std::string_view signature,
                          StringField(object, "signature"));
  Result<std::string> raw = Base64UrlDecode(signature);
  if (!raw.ok() || raw->size() != crypto_sign_BYTES) {
    return Malformed("signature: not base64url of 64 bytes");
  }
  checkpoint.signature = std::move(raw).value();
  return checkpoint;
}

}  // namespace

std::string SigningInput(const AuditCheckpoint& checkpoint) {
  return std::string(kAuditCheckpointFormat) + "\n" +
         std::to_string(checkpoint.sequence) + "\n" + checkpoint.hash + "\n" +
         std::to_string(ToMicros(checkpoint.time)) + "\n" + checkpoint.key_id;
}

std::string EncodeAuditCheckpoint(const AuditCheckpoint& checkpoint) {
  boost::json::object object{
      {"format", kAuditCheckpointFormat},
      {"sequence", checkpoint.sequence},
      {"hash", checkpoint.hash},
      {"time", FormatRfc3339(checkpoint.time)},
      {"key_id", checkpoint.key_id},
      {"signature", Base64UrlEncode(checkpoint.signature)}};
  return boost::json::serialize(object);
}

Result<AuditCheckpoint> ParseAuditCheckpoint(std::string_view text) {
  if (text.size() > kMaxAuditCheckpointBytes) {
    return Malformed("longer than " + std::to_string(kMaxAuditCheckpointBytes) +
                     " bytes");
  }
  Result<boost::json::object> object =
      ParseJsonObjectText(text, {.max_depth = kMaxCheckpointJsonDepth});
  if (!object.ok()) return Malformed(object.status().message());
  return FromObject(*object);
}

Result<AuditCheckpoint> ParseLastAuditCheckpoint(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  const size_t end = text.find_last_not_of(kSpace);
  if (end == std::string_view::npos) return Malformed("no checkpoint line");
  text = text.substr(0, end + 1);
  const size_t newline = text.rfind('\n');
  if (newline != std::string_view::npos) text.remove_prefix(newline + 1);
  return ParseAuditCheckpoint(text);
}

Result<AuditCheckpointSigner> AuditCheckpointSigner::FromSeed(
    std::string_view seed) {
  if (seed.size() != kSeedBytes) {
    return InvalidArgument("audit checkpoint key: expected " +
                           std::to_string(kSeedBytes) + " bytes, found " +
                           std::to_string(seed.size()));
  }
  AuditCheckpointSigner signer;
  signer.secret_key_.resize(crypto_sign_SECRETKEYBYTES);
  signer.public_key_.resize(crypto_sign_PUBLICKEYBYTES);
  crypto_sign_seed_keypair(
      reinterpret_cast<unsigned char*>(signer.public_key_.data()),
      reinterpret_cast<unsigned char*>(signer.secret_key_.data()),
      reinterpret_cast<const unsigned char*>(seed.data()));
  signer.key_id_ = AuditCheckpointKeyId(signer.public_key_);
  return signer;
}

void AuditCheckpointSigner::Sign(AuditCheckpoint& checkpoint) const {
  checkpoint.key_id = key_id_;
  checkpoint.signature = SignMessage(SigningInput(checkpoint));
}

std::string AuditCheckpointSigner::SignMessage(std::string_view message) const {
  std::string signature(crypto_sign_BYTES, '\0');
  crypto_sign_detached(
      reinterpret_cast<unsigned char*>(signature.data()), nullptr,
      reinterpret_cast<const unsigned char*>(message.data()), message.size(),
      reinterpret_cast<const unsigned char*>(secret_key_.data()));
  return signature;
}

std::string AuditCheckpointKeyId(std::string_view public_key) {
  const Sha256Digest digest = Sha256(public_key);
  return HexEncode(digest.data(), kKeyIdBytes);
}

Status VerifyAuditCheckpoint(const AuditCheckpoint& checkpoint,
                             std::string_view public_key) {
  return VerifyAuditSignature("audit checkpoint", SigningInput(checkpoint),
                              checkpoint.key_id, checkpoint.signature,
                              public_key, "audit-checkpoint-signature");
}

Status VerifyAuditSignature(std::string_view what, std::string_view message,
                            std::string_view key_id, std::string_view signature,
                            std::string_view public_key,
                            std::string_view problem) {
  const std::string subject(what);
  if (public_key.size() != crypto_sign_PUBLICKEYBYTES) {
    return FailedPrecondition(subject + " public key: expected 32 bytes",
                              std::string(problem));
  }
  const std::string expected_id = AuditCheckpointKeyId(public_key);
  if (key_id != expected_id) {
    return FailedPrecondition(subject + " signed by key " +
                                  std::string(key_id) + ", expected key " +
                                  expected_id,
                              std::string(problem));
  }
  if (signature.size() != crypto_sign_BYTES ||
      crypto_sign_verify_detached(
          reinterpret_cast<const unsigned char*>(signature.data()),
          reinterpret_cast<const unsigned char*>(message.data()),
          message.size(),
          reinterpret_cast<const unsigned char*>(public_key.data())) != 0) {
    return FailedPrecondition(
        subject + " signature does not verify under key " + expected_id,
        std::string(problem));
  }
  return Status::Ok();
}

}  // namespace warden
