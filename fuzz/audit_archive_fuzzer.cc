// libFuzzer target: the audit archive reader (`warden audit verify-archive
// FILE` reads archives from anywhere). The input is fed twice: as the
// uncompressed JSON Lines contents, in two pieces split where the first
// byte says (the line splitter must not care where reads end), and as a
// gzip stream. Neither may crash, and nothing may verify: the fuzzer cannot
// forge an Ed25519 manifest signature for the fixed key.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "audit/audit_archive_verifier.h"
#include "core/crypto.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool initialised = warden::InitCrypto().ok();
  static const warden::AuditCheckpointSigner signer =
      warden::AuditCheckpointSigner::FromSeed(std::string(32, 'f')).value();
  static const warden::AuditChainKey key =
      warden::AuditChainKey::FromBytes(std::string(32, 'k')).value();
  if (!initialised) std::abort();
  const warden::AuditArchiveVerifyOptions options{signer.public_key(), &key};
  std::string_view text(reinterpret_cast<const char*>(data), size);

  warden::AuditArchiveVerifier verifier(options);
  const size_t split = size > 0 ? data[0] % (size + 1) : 0;
  bool verified = verifier.Consume(text.substr(0, split)).ok() &&
                  verifier.Consume(text.substr(split)).ok() &&
                  verifier.Finish().ok();
  verified = verified || warden::VerifyAuditArchiveGzip(text, options).ok();
  if (verified) std::abort();
  return 0;
}
