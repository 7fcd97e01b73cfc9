// The signature of the audit chain's anchor (store.h, AuditAnchorRecord):
// where the chain starts once its oldest records were archived and pruned
// (audit_archiver.h).
//
// The anchor says "records 1 .. `sequence` were archived; record `sequence`
// had link hash `hash` in format `format`". It lives in the database, next
// to the records it anchors, but is signed with the checkpoint key
// (DIR/audit-checkpoint.key), which the database never holds: whoever can
// only write the database can neither move the anchor forward to hide
// deleted records nor forge one. Replaying an older anchor leaves a gap
// before the first remaining record, which verification finds.
//
// The signature covers SigningInput(): the format tag, sequence, hash,
// format, time in microseconds and key id, one per line. The tag differs
// from the checkpoint's and the archive manifest's, so no signed checkpoint
// can be passed off as an anchor (which would declare records archived
// that were only deleted).
//
// Thread-safe: free functions without state.
#ifndef WARDEN_AUDIT_AUDIT_ANCHOR_H_
#define WARDEN_AUDIT_AUDIT_ANCHOR_H_

#include <string>
#include <string_view>

#include "audit/audit_checkpoint.h"
#include "store/store.h"

namespace warden {

inline constexpr char kAuditAnchorFormat[] = "warden-audit-anchor-v1";

// The bytes the anchor's signature covers.
std::string AnchorSigningInput(const AuditAnchorRecord& anchor);

// Fills key_id and signature.
void SignAuditAnchor(const AuditCheckpointSigner& signer,
                     AuditAnchorRecord& anchor);

// OK when `anchor` was signed by `public_key` (32 bytes).
// kFailedPrecondition ("audit-anchor-signature") otherwise.
Status VerifyAuditAnchor(const AuditAnchorRecord& anchor,
                         std::string_view public_key);

}  // namespace warden

#endif  // WARDEN_AUDIT_AUDIT_ANCHOR_H_
