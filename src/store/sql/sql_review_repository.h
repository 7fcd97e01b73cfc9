// Access reviews in SQL (either store): campaigns in `review_campaigns`, one
// row per (campaign, identity) in `review_items`, with a partial index on the
// "keep" decisions (the justification a review gives an identity).
//
// Thread safety: as the Transaction it belongs to.
#ifndef WARDEN_STORE_SQL_SQL_REVIEW_REPOSITORY_H_
#define WARDEN_STORE_SQL_SQL_REVIEW_REPOSITORY_H_

#include <vector>

#include "store/sql/repository_context.h"
#include "store/store.h"

namespace warden::sql {

// Page sizes outside [1, kMaxReviewPageSize] are clamped.
inline constexpr int kMaxReviewPageSize = 500;

class SqlReviewRepository final : public ReviewRepository {
 public:
  explicit SqlReviewRepository(RepositoryContext& context)
      : context_(context) {}
  Status InsertCampaign(const ReviewCampaignRecord& campaign) override;
  Status UpdateCampaign(const ReviewCampaignRecord& campaign) override;
  Result<ReviewCampaignRecord> GetCampaign(std::string_view id) override;
  Result<Page<ReviewCampaignRecord>> ListCampaigns(
      std::string_view state, const PageRequest& page) override;
  Result<std::vector<ReviewCampaignRecord>> ListDue(Timestamp now) override;
  Status PutItem(const ReviewItemRecord& item) override;
  Result<ReviewItemRecord> GetItem(std::string_view campaign_id,
                                   std::string_view identity_id) override;
  Result<Page<ReviewItemRecord>> ListItems(std::string_view campaign_id,
                                           std::string_view decision,
                                           const PageRequest& page) override;
  Result<std::map<std::string, int64_t>> CountItems(
      std::string_view campaign_id) override;
  Result<std::vector<ReviewItemRecord>> ListKeptBetween(
      std::string_view after_id, std::string_view last_id) override;

 private:
  RepositoryContext& context_;
};

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_SQL_REVIEW_REPOSITORY_H_
