#include "tokens/signing_key_ring.h"

#include <algorithm>
#include <set>

#include "tokens/jwks.h"

namespace warden::tokens {

std::string_view Name(KeyState state) {
  switch (state) {
    case KeyState::kNext:
      return "next";
    case KeyState::kCurrent:
      return "current";
    case KeyState::kRetired:
      return "retired";
  }
  return "retired";
}

std::optional<KeyState> ParseKeyState(std::string_view text) {
  for (KeyState s : {KeyState::kNext, KeyState::kCurrent, KeyState::kRetired}) {
    if (Name(s) == text) return s;
  }
  return std::nullopt;
}

std::shared_ptr<const VerificationKey> PublishedKeys::Find(
    std::string_view kid) const {
  for (const auto& key : verification_keys) {
    if (key->kid() == kid) return key;
  }
  return nullptr;
}

SigningKeyRing::SigningKeyRing(KeyRotationPolicy policy)
    : policy_(std::move(policy)) {}

Result<std::unique_ptr<SigningKeyRing>> SigningKeyRing::Create(
    KeyRotationPolicy policy, std::vector<StoredSigningKey> stored,
    Timestamp now) {
  if (policy.rotation_period <= std::chrono::seconds(0) ||
      policy.max_token_lifetime <= std::chrono::seconds(0)) {
    return InvalidArgument("key rotation periods must be positive");
  }
  std::unique_ptr<SigningKeyRing> ring(new SigningKeyRing(policy));
  MutexLock lock(ring->mu_);
  WARDEN_RETURN_IF_ERROR(ring->LoadLocked(std::move(stored)));
  bool changed = false;
  WARDEN_RETURN_IF_ERROR(ring->EnsureCurrentAndNextLocked(now, &changed));
  ring->PublishLocked();
  return ring;
}

Status SigningKeyRing::Reload(std::vector<StoredSigningKey> stored,
                              Timestamp now) {
  MutexLock lock(mu_);
  std::vector<Entry> previous = std::move(entries_);
  entries_.clear();
  Status loaded = LoadLocked(std::move(stored));
  bool changed = false;
  if (loaded.ok()) loaded = EnsureCurrentAndNextLocked(now, &changed);
  if (!loaded.ok()) {
    entries_ = std::move(previous);
    return loaded;
  }
  PublishLocked();
  return Status::Ok();
}

Status SigningKeyRing::LoadLocked(std::vector<StoredSigningKey> stored) {
  std::set<std::string> kids;
  int current = 0, next = 0;
  for (StoredSigningKey& s : stored) {
    const std::string context = "signing key \"" + s.kid + "\"";
    auto key = SigningKey::FromPrivateBlob(s.algorithm, s.private_key);
    if (!key.ok()) return key.status().WithContext(context);
    if ((*key)->kid() != s.kid) {
      return InvalidArgument(context + ": private key does not match kid");
    }
    if (!kids.insert(s.kid).second) {
      return InvalidArgument(context + ": duplicate kid");
    }
    current += s.state == KeyState::kCurrent;
    next += s.state == KeyState::kNext;
    if (s.state == KeyState::kRetired && !s.retired_at) {
      return InvalidArgument(context + ": retired key without retired_at");
    }
    entries_.push_back(
        Entry{*key, s.state, s.created_at, s.activated_at, s.retired_at});
  }
  if (current > 1 || next > 1) {
    return InvalidArgument("signing keys: more than one current or next key");
  }
  return Status::Ok();
}

SigningKeyRing::Entry* SigningKeyRing::FindStateLocked(KeyState state) {
  for (Entry& e : entries_) {
    if (e.state == state) return &e;
  }
  return nullptr;
}

Status SigningKeyRing::EnsureCurrentAndNextLocked(Timestamp now,
                                                  bool* changed) {
  if (FindStateLocked(KeyState::kCurrent) == nullptr) {
    // First start (or a store that lost it): promote next if there is one.
    Entry* next = FindStateLocked(KeyState::kNext);
    if (next == nullptr) {
      WARDEN_ASSIGN_OR_RETURN(auto key,
                              SigningKey::Generate(policy_.algorithm));
      entries_.push_back(Entry{key, KeyState::kNext, now, {}, {}});
      next = &entries_.back();
    }
    next->state = KeyState::kCurrent;
    next->activated_at = now;
    *changed = true;
  }
  if (FindStateLocked(KeyState::kNext) == nullptr) {
    WARDEN_ASSIGN_OR_RETURN(auto key, SigningKey::Generate(policy_.algorithm));
    entries_.push_back(Entry{key, KeyState::kNext, now, {}, {}});
    *changed = true;
  }
  return Status::Ok();
}

Status SigningKeyRing::RotateLocked(Timestamp now, RetireMode mode) {
  // Generate first so a crypto failure leaves the ring untouched.
  WARDEN_ASSIGN_OR_RETURN(auto fresh, SigningKey::Generate(policy_.algorithm));
  Entry* current = FindStateLocked(KeyState::kCurrent);
  Entry* next = FindStateLocked(KeyState::kNext);
  current->state = KeyState::kRetired;
  current->retired_at = now;
  next->state = KeyState::kCurrent;
  next->activated_at = now;
  if (mode == RetireMode::kRemoveImmediately) {
    const auto* gone = current->key.get();
    std::erase_if(entries_,
                  [gone](const Entry& e) { return e.key.get() == gone; });
  }
  entries_.push_back(Entry{fresh, KeyState::kNext, now, {}, {}});
  return Status::Ok();
}

bool SigningKeyRing::PruneLocked(Timestamp now) {
  const size_t before = entries_.size();
  std::erase_if(entries_, [&](const Entry& e) {
    return e.state == KeyState::kRetired &&
           *e.retired_at + policy_.max_token_lifetime <= now;
  });
  return entries_.size() != before;
}

Result<bool> SigningKeyRing::Maintain(Timestamp now) {
  MutexLock lock(mu_);
  bool changed = false;
  WARDEN_RETURN_IF_ERROR(EnsureCurrentAndNextLocked(now, &changed));
  const Entry* current = FindStateLocked(KeyState::kCurrent);
  if (*current->activated_at + policy_.rotation_period <= now) {
    WARDEN_RETURN_IF_ERROR(RotateLocked(now, RetireMode::kKeepPublished));
    changed = true;
  }
  changed = PruneLocked(now) || changed;
  if (changed) PublishLocked();
  return changed;
}

Status SigningKeyRing::RotateNow(Timestamp now, RetireMode mode) {
  MutexLock lock(mu_);
  WARDEN_RETURN_IF_ERROR(RotateLocked(now, mode));
  PruneLocked(now);
  PublishLocked();
  return Status::Ok();
}

Result<std::vector<StoredSigningKey>> SigningKeyRing::Export() const {
  MutexLock lock(mu_);
  std::vector<StoredSigningKey> out;
  for (const Entry& e : entries_) {
    WARDEN_ASSIGN_OR_RETURN(std::string blob, e.key->PrivateBlob());
    out.push_back(StoredSigningKey{e.key->kid(), e.key->algorithm(), e.state,
                                   e.created_at, e.activated_at, e.retired_at,
                                   std::move(blob)});
  }
  return out;
}

void SigningKeyRing::PublishLocked() {
  auto published = std::make_shared<PublishedKeys>();
  // JWKS order: current first (what most verifiers try first), then next,
  // then retired.
  for (KeyState state :
       {KeyState::kCurrent, KeyState::kNext, KeyState::kRetired}) {
    for (const Entry& e : entries_) {
      if (e.state != state) continue;
      if (state == KeyState::kCurrent) published->current = e.key;
      published->verification_keys.push_back(e.key->public_key());
    }
  }
  published->jwks_json = Jwks(published->verification_keys).ToJson();
  published->version = ++version_;
  published_.store(std::move(published));
}

std::shared_ptr<const PublishedKeys> SigningKeyRing::Published() const {
  return published_.load();
}

std::shared_ptr<const VerificationKey> SigningKeyRing::FindKey(
    std::string_view kid) const {
  return published_.load()->Find(kid);
}

}  // namespace warden::tokens
