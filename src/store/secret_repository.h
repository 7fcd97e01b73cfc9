// Stored static secrets and their versions. Values are envelope-encrypted
// before they reach the store (secrets/envelope.h); this layer only keeps
// opaque bytes. Thread safety: as the Transaction it belongs to.
#ifndef WARDEN_STORE_SECRET_REPOSITORY_H_
#define WARDEN_STORE_SECRET_REPOSITORY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"

namespace warden {

struct SecretRecord {
  std::string id;    // UUIDv7
  std::string name;  // unique
  std::string identity_id;
  std::string description;
  int64_t current_version = 0;
  std::optional<Timestamp> rotation_due_at;
  std::string created_by;
  Timestamp created_at{};
  Timestamp updated_at{};
};

struct SecretVersionRecord {
  std::string secret_id;
  int64_t version = 0;
  std::string state = "active";  // "active" -> "inactive" -> "revoked"
  // Opaque sealed bytes (binary); see secrets::SealedValue.
  std::string ciphertext;
  std::string nonce;
  std::string wrapped_key;
  std::string wrap_nonce;
  std::string kek_id;
  Timestamp created_at{};
  std::optional<Timestamp> inactive_until;  // end of the overlap window
};

class SecretRepository {
 public:
  virtual ~SecretRepository() = default;
  virtual Status Insert(const SecretRecord& secret) = 0;
  virtual Status Update(const SecretRecord& secret) = 0;
  virtual Result<SecretRecord> Get(std::string_view id) = 0;
  virtual Result<SecretRecord> GetByName(std::string_view name) = 0;
  virtual Result<std::vector<SecretRecord>> List() = 0;  // ordered by name
  virtual Status InsertVersion(const SecretVersionRecord& version) = 0;
  // Replaces state, inactive_until and the wrapping (wrapped_key,
  // wrap_nonce, kek_id). The ciphertext and nonce are immutable.
  virtual Status UpdateVersion(const SecretVersionRecord& version) = 0;
  // Newest first.
  virtual Result<std::vector<SecretVersionRecord>> ListVersions(
      std::string_view secret_id) = 0;
  // Every version of every secret, for KEK rotation.
  virtual Result<std::vector<SecretVersionRecord>> ListAllVersions() = 0;
};

}  // namespace warden

#endif  // WARDEN_STORE_SECRET_REPOSITORY_H_
