#include "audit/audit_anchor.h"

namespace warden {

std::string AnchorSigningInput(const AuditAnchorRecord& anchor) {
  return std::string(kAuditAnchorFormat) + "\n" +
         std::to_string(anchor.sequence) + "\n" + anchor.hash + "\n" +
         std::to_string(anchor.format) + "\n" + std::to_string(anchor.time_us) +
         "\n" + anchor.key_id;
}

void SignAuditAnchor(const AuditCheckpointSigner& signer,
                     AuditAnchorRecord& anchor) {
  anchor.key_id = signer.key_id();
  anchor.signature = signer.SignMessage(AnchorSigningInput(anchor));
}

Status VerifyAuditAnchor(const AuditAnchorRecord& anchor,
                         std::string_view public_key) {
  return VerifyAuditSignature(
      "audit chain anchor (sequence " + std::to_string(anchor.sequence) + ")",
      AnchorSigningInput(anchor), anchor.key_id, anchor.signature, public_key,
      "audit-anchor-signature");
}

}  // namespace warden
