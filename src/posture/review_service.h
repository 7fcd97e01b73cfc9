// ReviewService: access review campaigns. A campaign puts every identity of
// a scope (team, environment, risk tier; revoked and expired ones aside)
// to its owner team, who decides keep (with a justification, which then
// counts as the identity's justification) or revoke (the identity is
// revoked with the decision) by the due date. When a campaign falls due
// its undecided identities become review-overdue findings; a late decision
// still counts and resolves the finding. Every call is authorized and
// audited.
//
// Thread safety: all methods may be called concurrently.
#ifndef WARDEN_POSTURE_REVIEW_SERVICE_H_
#define WARDEN_POSTURE_REVIEW_SERVICE_H_

#include <map>
#include <optional>
#include <string>

#include "inventory/inventory_service.h"
#include "service/auditor.h"
#include "store/store.h"

namespace warden::posture {

// A campaign holds at most this many identities: beyond it, narrow the
// scope (one write unit records the campaign and all of its items).
inline constexpr int64_t kMaxCampaignIdentities = 50000;

struct CampaignRequest {
  std::string name;
  std::string team;
  std::optional<Environment> environment;
  std::optional<RiskTier> risk_tier;
  Timestamp due_at{};
};

struct CampaignView {
  ReviewCampaignRecord campaign;
  std::map<std::string, int64_t> decisions;  // pending, keep, revoke
};

class ReviewService {
 public:
  ReviewService(Store& store, Auditor& auditor,
                inventory::InventoryService& inventory);

  // kInvalidArgument for a blank name, a due date not in the future, or a
  // scope with no identity or more than kMaxCampaignIdentities.
  Result<CampaignView> Create(const Caller& caller,
                              const CampaignRequest& request);
  Result<Page<ReviewCampaignRecord>> List(const Caller& caller,
                                          std::string_view state,
                                          const PageRequest& page);
  Result<CampaignView> Get(const Caller& caller, std::string_view id);
  Result<Page<ReviewItemRecord>> Items(const Caller& caller,
                                       std::string_view id,
                                       std::string_view decision,
                                       const PageRequest& page);
  // `decision`: "keep" (justification required) or "revoke".
  Result<ReviewItemRecord> Decide(const Caller& caller,
                                  std::string_view campaign_id,
                                  std::string_view identity_id,
                                  std::string_view decision,
                                  const std::string& justification);
  // Closes one open campaign now (before its due date, too): undecided
  // identities become review-overdue findings.
  Result<CampaignView> Close(const Caller& caller, std::string_view id);
  // Closes the campaigns due by now; returns how many findings it opened.
  Result<int64_t> CloseDue();

 private:
  // In a write unit: closes `campaign`, opening a finding per undecided
  // identity; returns how many.
  Result<int64_t> CloseIn(Transaction& tx, ReviewCampaignRecord& campaign,
                          Timestamp now);

  Store& store_;
  Auditor& auditor_;
  inventory::InventoryService& inventory_;
};

}  // namespace warden::posture

#endif  // WARDEN_POSTURE_REVIEW_SERVICE_H_
