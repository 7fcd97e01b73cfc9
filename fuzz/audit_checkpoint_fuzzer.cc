// libFuzzer target: the audit checkpoint parsers (DIR/audit.checkpoint and
// witness files, which `warden audit verify --checkpoint FILE` reads from
// anywhere). A checkpoint that parses must encode and parse back to the same
// fields, and checking its signature must neither crash nor accept it (the
// fuzzer cannot forge an Ed25519 signature for the fixed key).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "audit/audit_checkpoint.h"
#include "core/crypto.h"

namespace {

void CheckRoundTrip(const warden::AuditCheckpoint& checkpoint) {
  auto again =
      warden::ParseAuditCheckpoint(warden::EncodeAuditCheckpoint(checkpoint));
  if (!again.ok() || again->sequence != checkpoint.sequence ||
      again->hash != checkpoint.hash || again->time != checkpoint.time ||
      again->key_id != checkpoint.key_id ||
      again->signature != checkpoint.signature) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool initialised = warden::InitCrypto().ok();
  static const warden::AuditCheckpointSigner signer =
      warden::AuditCheckpointSigner::FromSeed(std::string(32, 'f')).value();
  if (!initialised) std::abort();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto last = warden::ParseLastAuditCheckpoint(text);
  auto one = warden::ParseAuditCheckpoint(text);
  for (auto* parsed : {&last, &one}) {
    if (!parsed->ok()) continue;
    CheckRoundTrip(parsed->value());
    if (warden::VerifyAuditCheckpoint(parsed->value(), signer.public_key())
            .ok()) {
      std::abort();
    }
  }
  return 0;
}
