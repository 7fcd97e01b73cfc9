#include "oauth/signing_keys.h"

#include "authz/authorizer.h"

namespace warden::oauth {
namespace {

using tokens::StoredSigningKey;

// Associated data binding a sealed private key to its row.
std::string KeyAad(std::string_view kid, std::string_view alg) {
  return "warden-signing-key:" + std::string(alg) + ":" + std::string(kid);
}

Result<StoredSigningKey> Unseal(const SigningKeyRecord& record,
                                const OAuthKeyCustody& custody) {
  StoredSigningKey key;
  key.kid = record.kid;
  WARDEN_ASSIGN_OR_RETURN(key.algorithm,
                          tokens::ParseJwsAlgorithmName(record.algorithm));
  std::optional<tokens::KeyState> state = tokens::ParseKeyState(record.state);
  if (!state) return Internal("signing key " + record.kid + ": bad state");
  key.state = *state;
  key.created_at = record.created_at;
  key.activated_at = record.activated_at;
  key.retired_at = record.retired_at;
  WARDEN_ASSIGN_OR_RETURN(key.private_key,
                          custody.Open(record.sealed_private_key,
                                       KeyAad(record.kid, record.algorithm)));
  return key;
}

// Every stored key, unsealed.
Result<std::vector<StoredSigningKey>> ReadStored(
    Store& store, const OAuthKeyCustody& custody) {
  std::vector<SigningKeyRecord> records;
  WARDEN_RETURN_IF_ERROR(store.Read([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(records, tx.oauth().ListSigningKeys());
    return Status::Ok();
  }));
  std::vector<StoredSigningKey> stored;
  for (const SigningKeyRecord& record : records) {
    Result<StoredSigningKey> key = Unseal(record, custody);
    if (!key.ok()) return key.status().WithContext("load signing keys");
    stored.push_back(std::move(*key));
  }
  return stored;
}

}  // namespace

Result<std::unique_ptr<OAuthSigningKeys>> OAuthSigningKeys::Load(
    Store& store, const OAuthKeyCustody& custody,
    tokens::KeyRotationPolicy policy, Timestamp now) {
  WARDEN_ASSIGN_OR_RETURN(std::vector<StoredSigningKey> stored,
                          ReadStored(store, custody));
  const size_t stored_count = stored.size();
  WARDEN_ASSIGN_OR_RETURN(
      std::unique_ptr<tokens::SigningKeyRing> ring,
      tokens::SigningKeyRing::Create(policy, std::move(stored), now));
  std::unique_ptr<OAuthSigningKeys> keys(
      new OAuthSigningKeys(store, custody, std::move(ring)));
  WARDEN_RETURN_IF_ERROR(keys->Maintain(now));
  // A first start (or a ring that had to complete itself) persists now.
  if (stored_count != keys->ring().Published()->verification_keys.size()) {
    WARDEN_RETURN_IF_ERROR(keys->Persist());
  }
  return keys;
}

Result<std::vector<SigningKeyRecord>> OAuthSigningKeys::SealedExport() const {
  WARDEN_ASSIGN_OR_RETURN(std::vector<StoredSigningKey> keys, ring_->Export());
  std::vector<SigningKeyRecord> records;
  for (StoredSigningKey& key : keys) {
    SigningKeyRecord record;
    record.kid = key.kid;
    record.algorithm = std::string(tokens::Name(key.algorithm));
    record.state = std::string(tokens::Name(key.state));
    record.created_at = key.created_at;
    record.activated_at = key.activated_at;
    record.retired_at = key.retired_at;
    record.sealed_private_key =
        custody_.Seal(key.private_key, KeyAad(record.kid, record.algorithm));
    records.push_back(std::move(record));
  }
  return records;
}

Status OAuthSigningKeys::Persist() {
  MutexLock lock(persist_mu_);
  WARDEN_ASSIGN_OR_RETURN(std::vector<SigningKeyRecord> records,
                          SealedExport());
  return store_.Write(
      [&](Transaction& tx) { return tx.oauth().ReplaceSigningKeys(records); });
}

Status OAuthSigningKeys::Refresh(Timestamp now) {
  MutexLock lock(persist_mu_);
  WARDEN_ASSIGN_OR_RETURN(std::vector<StoredSigningKey> stored,
                          ReadStored(store_, custody_));
  return ring_->Reload(std::move(stored), now);
}

Status OAuthSigningKeys::Maintain(Timestamp now) {
  WARDEN_ASSIGN_OR_RETURN(bool changed, ring_->Maintain(now));
  if (!changed) return Status::Ok();
  return Persist().WithContext("persist signing keys");
}

Status OAuthSigningKeys::Rotate(const Caller& caller, Auditor& auditor,
                                bool emergency) {
  constexpr std::string_view kAction = "oauth.keys.rotate";
  const Role role = caller.principal.role;
  if (role != Role::kAdmin && role != Role::kSecurity) {
    AuthzDecision denied{false, "only admin and security may rotate keys"};
    return auditor.Deny(caller, kAction, "signing-keys", denied);
  }
  const std::string old_kid = ring_->Published()->current->kid();
  Status rotated = ring_->RotateNow(
      auditor.clock().Now(), emergency ? tokens::RetireMode::kRemoveImmediately
                                       : tokens::RetireMode::kKeepPublished);
  if (!rotated.ok()) return auditor.Failed(caller, kAction, "", rotated);
  MutexLock lock(persist_mu_);
  WARDEN_ASSIGN_OR_RETURN(std::vector<SigningKeyRecord> records,
                          SealedExport());
  boost::json::object details;
  details["retired_kid"] = old_kid;
  details["current_kid"] = ring_->Published()->current->kid();
  details["emergency"] = emergency;
  Status written = store_.Write([&](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(tx.oauth().ReplaceSigningKeys(records));
    return auditor.RecordInTransaction(tx, caller, kAction, "signing-keys",
                                       details);
  });
  if (!written.ok()) return auditor.Failed(caller, kAction, "", written);
  return Status::Ok();
}

}  // namespace warden::oauth
