// SigningKeyRing: Warden's own token signing keys and their rotation.
//
// Each key moves through
//   next (published, not signing) -> current (signing) -> retired
//   (published, not signing) -> removed
// The ring always holds exactly one current and one next key, so the key
// that will sign next has been in the JWKS for a whole rotation period
// before it signs: verifiers that cache the JWKS already know it. A retired
// key stays published until every token it signed has expired, i.e. until
// retired_at + max_token_lifetime (+ clock leeway).
//
// Rotation happens on schedule (Maintain(), when the current key is older
// than rotation_period) and on demand (RotateNow()). An emergency rotation
// for a compromised key drops the old key at once instead of retiring it
// (RetireMode::kRemoveImmediately), which makes its tokens unverifiable.
//
// Persistence is the caller's: Export() returns every key with its private
// key bytes as an opaque blob (encrypt before storing, never log), and
// Create() loads them back. After any mutation that returns "changed", the
// caller persists Export(). This class does no I/O.
//
// Thread-safety: readers (Published(), FindKey()) never block: they read an
// immutable PublishedKeys snapshot that writers replace atomically. Writers
// (Maintain, RotateNow, Export, Reload) are serialised by an internal mutex.
// Replicas sharing one store converge by Reload() of what another persisted
// (a rotation due on several replicas at once promotes the same stored next
// key everywhere; the new next keys differ until the last one persisted is
// reloaded, and a next key signs nothing).
#ifndef WARDEN_TOKENS_SIGNING_KEY_RING_H_
#define WARDEN_TOKENS_SIGNING_KEY_RING_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/mutex.h"
#include "core/status.h"
#include "core/thread_annotations.h"
#include "tokens/key_resolver.h"
#include "tokens/signing_key.h"

namespace warden::tokens {

enum class KeyState { kNext, kCurrent, kRetired };

std::string_view Name(KeyState state);
std::optional<KeyState> ParseKeyState(std::string_view text);

// One key as the store keeps it.
struct StoredSigningKey {
  std::string kid;
  JwsAlgorithm algorithm = JwsAlgorithm::kEdDSA;
  KeyState state = KeyState::kNext;
  Timestamp created_at;
  std::optional<Timestamp> activated_at;  // became current
  std::optional<Timestamp> retired_at;    // stopped signing
  // SECRET: SigningKey::PrivateBlob(). Encrypt at rest; never log.
  std::string private_key;
};

struct KeyRotationPolicy {
  // Algorithm of newly generated keys (existing keys keep theirs).
  JwsAlgorithm algorithm = JwsAlgorithm::kEdDSA;
  // Scheduled rotation: the current key signs for at most this long.
  std::chrono::seconds rotation_period{7 * 24 * 3600};
  // Longest lifetime of any token signed (LifetimePolicy::MaxLifetime())
  // plus verifier leeway: how long a retired key stays published.
  std::chrono::seconds max_token_lifetime{2 * 3600};
};

// An immutable view of the ring at one moment.
struct PublishedKeys {
  std::shared_ptr<const SigningKey> current;
  // Every published public key: next, current and retired ones.
  std::vector<std::shared_ptr<const VerificationKey>> verification_keys;
  // {"keys":[...]}: the JWKS document to serve.
  std::string jwks_json;
  // Increases with every change; lets servers set ETags.
  uint64_t version = 0;

  std::shared_ptr<const VerificationKey> Find(std::string_view kid) const;
};

enum class RetireMode {
  kKeepPublished,      // normal: tokens already issued stay verifiable
  kRemoveImmediately,  // compromise: its tokens stop verifying at once
};

class SigningKeyRing final : public KeyResolver {
 public:
  // Loads `stored` (from Export()); an empty list creates a fresh current
  // and next key, and so does a list missing one of them (Maintain() would
  // anyway). kInvalidArgument on corrupt entries (a blob that does not
  // match its kid or algorithm, two current keys, duplicate kids).
  static Result<std::unique_ptr<SigningKeyRing>> Create(
      KeyRotationPolicy policy, std::vector<StoredSigningKey> stored,
      Timestamp now);

  SigningKeyRing(const SigningKeyRing&) = delete;
  SigningKeyRing& operator=(const SigningKeyRing&) = delete;

  // Readers: lock-free; the snapshot stays valid as long as it is held.
  std::shared_ptr<const PublishedKeys> Published() const;
  std::shared_ptr<const VerificationKey> FindKey(
      std::string_view kid) const override;

  // Scheduled work: rotates if the current key is due, removes retired keys
  // whose tokens have all expired. Returns true when something changed (the
  // caller then persists Export()).
  Result<bool> Maintain(Timestamp now);
  // On-demand rotation: next becomes current, a new next is generated, the
  // old current is retired (or dropped, see RetireMode).
  Status RotateNow(Timestamp now, RetireMode mode = RetireMode::kKeepPublished);

  // Every key with its secret blob, for the store.
  Result<std::vector<StoredSigningKey>> Export() const;
  // Replaces every key with `stored` (as Create() loads them): how a
  // replica takes the ring another replica rotated and persisted. On error
  // the ring is unchanged.
  Status Reload(std::vector<StoredSigningKey> stored, Timestamp now);

  const KeyRotationPolicy& policy() const { return policy_; }

 private:
  struct Entry {
    std::shared_ptr<const SigningKey> key;
    KeyState state;
    Timestamp created_at;
    std::optional<Timestamp> activated_at;
    std::optional<Timestamp> retired_at;
  };

  explicit SigningKeyRing(KeyRotationPolicy policy);

  Status LoadLocked(std::vector<StoredSigningKey> stored) WARDEN_REQUIRES(mu_);
  Status EnsureCurrentAndNextLocked(Timestamp now, bool* changed)
      WARDEN_REQUIRES(mu_);
  Status RotateLocked(Timestamp now, RetireMode mode) WARDEN_REQUIRES(mu_);
  bool PruneLocked(Timestamp now) WARDEN_REQUIRES(mu_);
  Entry* FindStateLocked(KeyState state) WARDEN_REQUIRES(mu_);
  void PublishLocked() WARDEN_REQUIRES(mu_);

  // Immutable after construction.
  const KeyRotationPolicy policy_;

  mutable Mutex mu_;  // serialises writers
  std::vector<Entry> entries_ WARDEN_GUARDED_BY(mu_);
  uint64_t version_ WARDEN_GUARDED_BY(mu_) = 0;

  // Written under mu_, read lock-free.
  std::atomic<std::shared_ptr<const PublishedKeys>> published_;
};

}  // namespace warden::tokens

#endif  // WARDEN_TOKENS_SIGNING_KEY_RING_H_
