#include "custody/secret_service.h"

#include <fmt/format.h>

#include "authz/workload_authorizer.h"
#include "core/id.h"
#include "core/time_format.h"
#include "custody/certificate_service.h"
#include "inventory/identity_rules.h"
#include "secrets/envelope.h"
#include "service/audited_write.h"
#include "service/field_checks.h"

namespace warden::custody {
namespace {

std::string SecretTarget(std::string_view name) {
  return fmt::format("secret/{}", name);
}

std::optional<Timestamp> RotationDue(const Identity& owner, Timestamp now) {
  if (!owner.rotation_days) return std::nullopt;
  return now + std::chrono::days(*owner.rotation_days);
}

// Inactive versions past their overlap window become revoked.
Status ExpireOverlaps(Transaction& tx, std::vector<SecretVersionRecord>& all,
                      Timestamp now) {
  for (SecretVersionRecord& v : all) {
    if (v.state == "inactive" && v.inactive_until && *v.inactive_until <= now) {
      v.state = "revoked";
      WARDEN_RETURN_IF_ERROR(tx.secrets().UpdateVersion(v));
    }
  }
  return Status::Ok();
}

boost::json::object Describe(const SecretRecord& s) {
  boost::json::object details{{"name", s.name},
                              {"identity_id", s.identity_id},
                              {"version", s.current_version}};
  if (s.rotation_due_at) {
    details["rotation_due_at"] = FormatRfc3339(*s.rotation_due_at);
  }
  return details;
}

SecretView ViewOf(SecretRecord secret, std::vector<SecretVersionRecord> all) {
  for (SecretVersionRecord& v : all) {
    v.ciphertext.clear();
    v.nonce.clear();
    v.wrapped_key.clear();
    v.wrap_nonce.clear();
  }
  return {std::move(secret), std::move(all)};
}

Status CheckPut(const SecretPut& put) {
  WARDEN_RETURN_IF_ERROR(
      CheckName("name", put.name, inventory::kMaxNameLength));
  if (put.value.empty()) return FieldError("value", "is required");
  if (put.value.size() > secrets::kMaxSecretBytes) {
    return FieldError("value", "larger than 64 KiB");
  }
  return CheckText("description", put.description, inventory::kMaxTextLength);
}

}  // namespace

Result<SecretRecord> LoadSecretByName(Transaction& tx, std::string_view name) {
  Result<SecretRecord> found = tx.secrets().GetByName(name);
  if (found.ok() || found.status().code() != StatusCode::kNotFound) {
    return found;
  }
  return NotFound(fmt::format("secret \"{}\" does not exist", name));
}

Result<SecretVersionRecord> SecretService::SealVersion(
    const std::string& secret_id, int64_t version, std::string_view value,
    Timestamp now) const {
  WARDEN_ASSIGN_OR_RETURN(
      secrets::SealedValue sealed,
      secrets::Seal(keyring_.current(), value,
                    secrets::SecretAad(secret_id, version)));
  SecretVersionRecord record;
  record.secret_id = secret_id;
  record.version = version;
  record.ciphertext = std::move(sealed.ciphertext);
  record.nonce = std::move(sealed.nonce);
  record.wrapped_key = std::move(sealed.wrapped_key);
  record.wrap_nonce = std::move(sealed.wrap_nonce);
  record.kek_id = std::move(sealed.kek_id);
  record.created_at = now;
  return record;
}

Result<SecretValue> SecretService::OpenVersion(
    const SecretRecord& secret, const SecretVersionRecord& v) const {
  WARDEN_ASSIGN_OR_RETURN(const secrets::KeyEncryptionKey* kek,
                          keyring_.Find(v.kek_id));
  secrets::SealedValue sealed{v.ciphertext, v.nonce, v.wrapped_key,
                              v.wrap_nonce, v.kek_id};
  WARDEN_ASSIGN_OR_RETURN(
      std::string value,
      secrets::Open(*kek, sealed, secrets::SecretAad(secret.id, v.version)));
  return SecretValue{secret.name, v.version, v.state, std::move(value)};
}

Result<SecretView> SecretService::Put(const Caller& caller,
                                      const SecretPut& put) {
  AuditedWrite write(store_, auditor_, caller, "secret.put",
                     SecretTarget(put.name), Permission::kSecretWrite);
  SecretView view;
  const Status status = write.Run([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(Identity owner,
                            LoadIdentityByKey(tx, put.identity));
    WARDEN_RETURN_IF_ERROR(write.Authorize(owner.owner));
    WARDEN_RETURN_IF_ERROR(CheckPut(put));
    SecretRecord secret{
        NewId(write.now()),       put.name,    owner.id,
        put.description,          1,           RotationDue(owner, write.now()),
        caller.principal.subject, write.now(), write.now()};
    WARDEN_RETURN_IF_ERROR(tx.secrets().Insert(secret));
    WARDEN_ASSIGN_OR_RETURN(SecretVersionRecord v,
                            SealVersion(secret.id, 1, put.value, write.now()));
    WARDEN_RETURN_IF_ERROR(tx.secrets().InsertVersion(v));
    view = ViewOf(secret, {v});
    return write.Record(tx, Describe(secret));
  });
  if (!status.ok()) return status;
  return view;
}

Result<SecretView> SecretService::Rotate(const Caller& caller,
                                         std::string_view name,
                                         std::string_view value,
                                         std::chrono::seconds overlap) {
  AuditedWrite write(store_, auditor_, caller, "secret.rotate",
                     SecretTarget(name), Permission::kSecretWrite);
  SecretView view;
  const Status status = write.Run([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(SecretRecord secret, LoadSecretByName(tx, name));
    WARDEN_ASSIGN_OR_RETURN(Identity owner,
                            LoadIdentityByKey(tx, secret.identity_id));
    WARDEN_RETURN_IF_ERROR(write.Authorize(owner.owner));
    if (value.empty() || value.size() > secrets::kMaxSecretBytes) {
      return FieldError("value", "is required, at most 64 KiB");
    }
    if (overlap.count() < 0 || overlap > kMaxSecretOverlap) {
      return FieldError("overlap_seconds", "must be between 0 and 30 days");
    }
    WARDEN_ASSIGN_OR_RETURN(std::vector<SecretVersionRecord> all,
                            tx.secrets().ListVersions(secret.id));
    WARDEN_RETURN_IF_ERROR(ExpireOverlaps(tx, all, write.now()));
    for (SecretVersionRecord& v : all) {
      if (v.state != "active") continue;
      v.state = overlap.count() > 0 ? "inactive" : "revoked";
      v.inactive_until = write.now() + overlap;
      WARDEN_RETURN_IF_ERROR(tx.secrets().UpdateVersion(v));
    }
    secret.current_version += 1;
    secret.updated_at = write.now();
    secret.rotation_due_at = RotationDue(owner, write.now());
    WARDEN_RETURN_IF_ERROR(tx.secrets().Update(secret));
    WARDEN_ASSIGN_OR_RETURN(
        SecretVersionRecord fresh,
        SealVersion(secret.id, secret.current_version, value, write.now()));
    WARDEN_RETURN_IF_ERROR(tx.secrets().InsertVersion(fresh));
    all.insert(all.begin(), fresh);
    view = ViewOf(secret, std::move(all));
    return write.Record(tx, Describe(secret));
  });
  if (!status.ok()) return status;
  return view;
}

Result<SecretValue> SecretService::OpenReadable(Transaction& tx,
                                                const SecretRecord& secret,
                                                std::optional<int64_t> version,
                                                Timestamp now) const {
  WARDEN_ASSIGN_OR_RETURN(std::vector<SecretVersionRecord> all,
                          tx.secrets().ListVersions(secret.id));
  const int64_t wanted = version.value_or(secret.current_version);
  for (const SecretVersionRecord& v : all) {
    if (v.version != wanted) continue;
    const bool readable =
        v.state == "active" ||
        (v.state == "inactive" && v.inactive_until && *v.inactive_until > now);
    if (!readable) {
      return FailedPrecondition(
          fmt::format("secret {} version {} is no longer readable", secret.name,
                      wanted),
          "secret-version-revoked");
    }
    WARDEN_ASSIGN_OR_RETURN(SecretValue value, OpenVersion(secret, v));
    if (v.state == "inactive") value.state = "inactive";
    return value;
  }
  return NotFound(
      fmt::format("secret {} has no version {}", secret.name, wanted));
}

Result<SecretValue> SecretService::Read(const Caller& caller,
                                        std::string_view name,
                                        std::optional<int64_t> version) {
  if (caller.principal.workload) return ReadOwn(caller, name, version);
  SecretValue value;
  const Timestamp now = auditor_.clock().Now();
  const Status status = auditor_.AuditedRead(
      caller, Permission::kSecretRead, "secret.read", SecretTarget(name),
      [&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(SecretRecord secret,
                                LoadSecretByName(tx, name));
        WARDEN_ASSIGN_OR_RETURN(value, OpenReadable(tx, secret, version, now));
        return Status::Ok();
      },
      {{"version", version ? boost::json::value(*version) : nullptr}});
  if (!status.ok()) return status;
  return value;
}

// The owning identity's own token: authorized on the secret's stored owner,
// on the same snapshot the value is read from. A secret that does not exist
// is refused like another identity's (403), so a workload token cannot
// probe which secret names exist.
Result<SecretValue> SecretService::ReadOwn(const Caller& caller,
                                           std::string_view name,
                                           std::optional<int64_t> version) {
  const std::string target = SecretTarget(name);
  boost::json::object details{
      {"version", version ? boost::json::value(*version) : nullptr},
      {"scope", kSecretsReadScope},
      {"jti", caller.principal.workload->jwt_id}};
  const Timestamp now = auditor_.clock().Now();
  std::optional<AuthzDecision> denial;
  SecretValue value;
  const Status status = store_.Read([&](Transaction& tx) -> Status {
    Result<SecretRecord> secret = LoadSecretByName(tx, name);
    if (!secret.ok() && secret.status().code() != StatusCode::kNotFound) {
      return secret.status();
    }
    const std::string owner = secret.ok() ? secret->identity_id : "";
    AuthzDecision decision =
        AuthorizeWorkload(caller.principal, kSecretsReadScope, owner);
    if (!decision.allowed) {
      denial = std::move(decision);
      return PermissionDenied(denial->reason);
    }
    WARDEN_ASSIGN_OR_RETURN(value, OpenReadable(tx, *secret, version, now));
    return Status::Ok();
  });
  if (denial)
    return auditor_.Deny(caller, "secret.read", target, *denial,
                         std::move(details));
  if (!status.ok()) {
    return auditor_.Failed(caller, "secret.read", target, status,
                           std::move(details));
  }
  WARDEN_RETURN_IF_ERROR(store_.Write([&](Transaction& tx) {
    return auditor_.RecordInTransaction(tx, caller, "secret.read", target,
                                        details);
  }));
  return value;
}

Result<std::vector<SecretView>> SecretService::List(const Caller& caller) {
  std::vector<SecretView> views;
  const Status status = auditor_.AuditedRead(
      caller, Permission::kIdentityRead, "secret.list", "secret",
      [&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(std::vector<SecretRecord> secrets,
                                tx.secrets().List());
        for (SecretRecord& s : secrets) {
          WARDEN_ASSIGN_OR_RETURN(std::vector<SecretVersionRecord> all,
                                  tx.secrets().ListVersions(s.id));
          views.push_back(ViewOf(std::move(s), std::move(all)));
        }
        return Status::Ok();
      });
  if (!status.ok()) return status;
  return views;
}

Result<SecretValue> SecretService::OpenActive(Transaction& tx,
                                              const SecretRecord& secret,
                                              Timestamp) const {
  WARDEN_ASSIGN_OR_RETURN(std::vector<SecretVersionRecord> all,
                          tx.secrets().ListVersions(secret.id));
  for (const SecretVersionRecord& v : all) {
    if (v.state == "active") return OpenVersion(secret, v);
  }
  return FailedPrecondition("secret " + secret.name + " has no active version",
                            "secret-version-revoked");
}

}  // namespace warden::custody
