// Break-glass: an emergency read of a stored secret, or a
// time-boxed re-activation of a suspended identity, outside the normal
// approvals. Each use requires a reason, writes a high-severity audit
// record ("severity": "high") in the same transaction, sends a signed
// webhook, and stays on the report until someone other than the actor
// reviews it. Re-activations end on their own: ExpireDue() returns the
// identity to suspended once the time box is over.
//
// Thread-safe; holds references only.
#ifndef WARDEN_CUSTODY_BREAK_GLASS_SERVICE_H_
#define WARDEN_CUSTODY_BREAK_GLASS_SERVICE_H_

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "custody/secret_service.h"
#include "custody/webhook_notifier.h"
#include "service/auditor.h"
#include "store/break_glass_repository.h"

namespace warden::custody {

inline constexpr auto kDefaultBreakGlassWindow = std::chrono::hours(1);
inline constexpr auto kMaxBreakGlassWindow = std::chrono::hours(8);
inline constexpr size_t kMinBreakGlassReasonLength = 10;

struct BreakGlassSecretRead {
  BreakGlassRecord record;
  SecretValue value;
};

class BreakGlassService {
 public:
  BreakGlassService(Store& store, Auditor& auditor, SecretService& secrets,
                    WebhookNotifier& webhooks)
      : store_(store),
        auditor_(auditor),
        secrets_(secrets),
        webhooks_(webhooks) {}

  // kBreakGlass; the reason must have at least 10 characters.
  Result<BreakGlassSecretRead> ReadSecret(const Caller& caller,
                                          std::string_view secret_name,
                                          std::string_view reason);
  // Suspended -> active for `window` (default 1 hour, at most 8 hours).
  // kFailedPrecondition unless the identity is suspended.
  Result<BreakGlassRecord> Reactivate(const Caller& caller,
                                      std::string_view identity,
                                      std::string_view reason,
                                      std::chrono::seconds window);
  // Ends every re-activation whose time box is over: the identity returns
  // to suspended (if still active) and, after the commit, the transition
  // listener hears of it (so tokens issued during the window stop working).
  // Returns how many ended.
  Result<int> ExpireDue();

  // Called after each committed re-suspension with the identity as stored.
  // Set once during setup, before serving.
  using TransitionListener = std::function<void(const Identity&)>;
  void set_transition_listener(TransitionListener listener) {
    transition_listener_ = std::move(listener);
  }

  // kBreakGlassReview.
  Result<std::vector<BreakGlassRecord>> List(const Caller& caller,
                                             bool unreviewed_only);
  // kPermissionDenied ("self-review") when the reviewer is the actor.
  Result<BreakGlassRecord> Review(const Caller& caller, std::string_view id,
                                  std::string_view note);

 private:
  Status CheckReason(std::string_view reason) const;
  void Alert(const BreakGlassRecord& record);
  // The re-suspended identity, or nullopt when a later decision stands.
  Result<std::optional<Identity>> EndOne(Transaction& tx,
                                         BreakGlassRecord& record,
                                         Timestamp now);

  Store& store_;
  Auditor& auditor_;
  SecretService& secrets_;
  WebhookNotifier& webhooks_;
  TransitionListener transition_listener_;
};

// The webhook body for a break-glass event (compact JSON, no secrets).
std::string BreakGlassEventJson(const BreakGlassRecord& record);

}  // namespace warden::custody

#endif  // WARDEN_CUSTODY_BREAK_GLASS_SERVICE_H_
