// OAuthSigningKeys: Warden's token signing key ring, persisted in the store
// with private keys sealed by OAuthKeyCustody.
//
// Load() reads the stored keys (creating a fresh current + next pair on
// first start) and writes back whatever the ring changed. Maintain() is the
// scheduled rotation/pruning; Rotate() the on-demand rotation (admin or
// security only, audited as "oauth.keys.rotate"). Every change is persisted
// before the call returns; if persisting fails the in-memory ring is ahead
// of the store until the next successful persist (a restart then reloads the
// stored keys, whose tokens stay verifiable).
//
// Thread-safety: all methods may be called concurrently (the ring
// serialises writers; persisting happens under persist_mu_).
#ifndef WARDEN_OAUTH_SIGNING_KEYS_H_
#define WARDEN_OAUTH_SIGNING_KEYS_H_

#include <memory>

#include "core/mutex.h"
#include "core/thread_annotations.h"
#include "oauth/key_custody.h"
#include "service/auditor.h"
#include "service/caller.h"
#include "store/store.h"
#include "tokens/signing_key_ring.h"

namespace warden::oauth {

class OAuthSigningKeys {
 public:
  static Result<std::unique_ptr<OAuthSigningKeys>> Load(
      Store& store, const OAuthKeyCustody& custody,
      tokens::KeyRotationPolicy policy, Timestamp now);

  tokens::SigningKeyRing& ring() { return *ring_; }
  const tokens::SigningKeyRing& ring() const { return *ring_; }

  // Replaces the ring with the stored keys (another replica rotated).
  Status Refresh(Timestamp now);
  // Scheduled: rotates when due and prunes expired retired keys.
  Status Maintain(Timestamp now);
  // On demand. kPermissionDenied for roles other than admin and security.
  // `emergency` drops the old key at once (its tokens stop verifying).
  Status Rotate(const Caller& caller, Auditor& auditor, bool emergency);

 private:
  OAuthSigningKeys(Store& store, const OAuthKeyCustody& custody,
                   std::unique_ptr<tokens::SigningKeyRing> ring)
      : store_(store), custody_(custody), ring_(std::move(ring)) {}

  // The ring's keys, sealed. Under persist_mu_ until the records are
  // written, so the last write holds the newest export.
  Result<std::vector<SigningKeyRecord>> SealedExport() const
      WARDEN_REQUIRES(persist_mu_);
  Status Persist() WARDEN_EXCLUDES(persist_mu_);

  // Immutable after construction (the ring is thread-safe itself).
  Store& store_;
  const OAuthKeyCustody& custody_;
  const std::unique_ptr<tokens::SigningKeyRing> ring_;

  Mutex persist_mu_;  // orders Export+write pairs; guards no member
};

}  // namespace warden::oauth

#endif  // WARDEN_OAUTH_SIGNING_KEYS_H_
