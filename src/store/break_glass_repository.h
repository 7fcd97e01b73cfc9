// Break-glass events: emergency secret reads and time-boxed re-activations
// of suspended identities, kept until someone other than the actor reviews
// them. Thread safety: as the Transaction it belongs to.
#ifndef WARDEN_STORE_BREAK_GLASS_REPOSITORY_H_
#define WARDEN_STORE_BREAK_GLASS_REPOSITORY_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"

namespace warden {

struct BreakGlassRecord {
  std::string id;           // UUIDv7
  std::string kind;         // "secret_read" or "identity_reactivation"
  std::string target_id;    // secret id or identity id
  std::string target_name;  // secret or identity name, for the report
  std::string actor;
  std::string reason;
  Timestamp created_at{};
  Timestamp expires_at{};
  std::optional<Timestamp> ended_at;  // re-activation returned to suspended
  std::string reviewed_by;            // empty until reviewed
  std::optional<Timestamp> reviewed_at;
  std::string review_note;
};

class BreakGlassRepository {
 public:
  virtual ~BreakGlassRepository() = default;
  virtual Status Insert(const BreakGlassRecord& record) = 0;
  virtual Status Update(const BreakGlassRecord& record) = 0;
  virtual Result<BreakGlassRecord> Get(std::string_view id) = 0;
  // Ordered by created_at then id; `unreviewed_only` skips reviewed ones.
  virtual Result<std::vector<BreakGlassRecord>> List(bool unreviewed_only) = 0;
  // Re-activations with expires_at <= now and no ended_at yet.
  virtual Result<std::vector<BreakGlassRecord>> ListDueReactivations(
      Timestamp now) = 0;
};

}  // namespace warden

#endif  // WARDEN_STORE_BREAK_GLASS_REPOSITORY_H_
