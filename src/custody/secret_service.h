// The secret store for credentials that cannot be short-lived:
// versioned, envelope-encrypted values (secrets/envelope.h) owned by an
// identity, with a rotation due date from the identity's rotation_days and
// an overlap window in which the previous version still reads.
//
// Version states: active (the current one) -> inactive (readable until
// inactive_until) -> revoked (never readable). Rotation demotes the active
// version and revokes inactive ones whose window has passed.
//
// Reading a value requires kSecretRead (security, admin), or a workload
// access token (caller.principal.workload) of the identity that owns the
// secret carrying scope secrets:read (authz/workload_authorizer.h); any
// other workload token is refused (403) whether or not the secret exists.
// Both are audited "secret.read". Values never enter audit details or logs.
//
// Thread-safe; holds references only.
#ifndef WARDEN_CUSTODY_SECRET_SERVICE_H_
#define WARDEN_CUSTODY_SECRET_SERVICE_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "custody/secret_keyring.h"
#include "service/auditor.h"
#include "store/secret_repository.h"

namespace warden::custody {

inline constexpr auto kDefaultSecretOverlap = std::chrono::hours(24);
inline constexpr auto kMaxSecretOverlap = std::chrono::days(30);

struct SecretPut {
  std::string name;
  std::string identity;  // id or name of the owning identity
  std::string description;
  std::string value;
};

struct SecretView {
  SecretRecord secret;
  std::vector<SecretVersionRecord> versions;  // sealed bytes cleared
};

struct SecretValue {
  std::string name;
  int64_t version = 0;
  std::string state;
  std::string value;
};

class SecretService {
 public:
  SecretService(Store& store, Auditor& auditor, const SecretKeyring& keyring)
      : store_(store), auditor_(auditor), keyring_(keyring) {}

  // Creates a secret with version 1. kAlreadyExists for a taken name.
  Result<SecretView> Put(const Caller& caller, const SecretPut& put);
  // Adds a version; the previous active one stays readable for `overlap`.
  Result<SecretView> Rotate(const Caller& caller, std::string_view name,
                            std::string_view value,
                            std::chrono::seconds overlap);
  // The value of `version` (default: the active one). Dispatches to the
  // workload rule when the caller is a workload (see top of file).
  Result<SecretValue> Read(const Caller& caller, std::string_view name,
                           std::optional<int64_t> version);
  Result<std::vector<SecretView>> List(const Caller& caller);

  // For break-glass (no role check; the caller has already recorded the
  // emergency): opens the active version inside `tx`.
  Result<SecretValue> OpenActive(Transaction& tx, const SecretRecord& secret,
                                 Timestamp now) const;

 private:
  Result<SecretVersionRecord> SealVersion(const std::string& secret_id,
                                          int64_t version,
                                          std::string_view value,
                                          Timestamp now) const;
  Result<SecretValue> OpenVersion(const SecretRecord& secret,
                                  const SecretVersionRecord& version) const;
  // `version` (default current) if still readable at `now`.
  Result<SecretValue> OpenReadable(Transaction& tx, const SecretRecord& secret,
                                   std::optional<int64_t> version,
                                   Timestamp now) const;
  Result<SecretValue> ReadOwn(const Caller& caller, std::string_view name,
                              std::optional<int64_t> version);

  Store& store_;
  Auditor& auditor_;
  const SecretKeyring& keyring_;
};

// kNotFound naming the secret.
Result<SecretRecord> LoadSecretByName(Transaction& tx, std::string_view name);

}  // namespace warden::custody

#endif  // WARDEN_CUSTODY_SECRET_SERVICE_H_
