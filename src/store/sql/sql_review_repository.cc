#include "store/sql/sql_review_repository.h"

#include <algorithm>
#include <string>

#include "store/sql/query.h"
#include "store/sql/upsert.h"
#include "store/sql/where_clause.h"

namespace warden::sql {
namespace {

constexpr char kCampaignColumns[] =
    "id, name, scope, state, due_at_us, created_by, created_at_us, "
    "closed_at_us, version";

constexpr char kItemColumns[] =
    "campaign_id, identity_id, identity_name, owner, decision, "
    "justification, decided_by, decided_at_us";

std::string CampaignName(std::string_view id) {
  return "review campaign " + Quoted(id);
}

ReviewCampaignRecord DecodeCampaign(const Statement& s) {
  ReviewCampaignRecord c;
  c.id = s.Text(0);
  c.name = s.Text(1);
  c.scope_json = s.Text(2);
  c.state = s.Text(3);
  c.due_at = FromMicros(s.Int(4));
  c.created_by = s.Text(5);
  c.created_at = FromMicros(s.Int(6));
  c.closed_at = OptionalTimestamp(s.OptionalInt(7));
  c.version = s.Int(8);
  return c;
}

ReviewItemRecord DecodeItem(const Statement& s) {
  ReviewItemRecord i;
  i.campaign_id = s.Text(0);
  i.identity_id = s.Text(1);
  i.identity_name = s.Text(2);
  i.owner = s.Text(3);
  i.decision = s.Text(4);
  i.justification = s.Text(5);
  i.decided_by = s.Text(6);
  i.decided_at = OptionalTimestamp(s.OptionalInt(7));
  return i;
}

template <typename T>
Page<T> ToPage(std::vector<T> rows, int page_size,
               std::string (*key)(const T&)) {
  Page<T> result;
  if (rows.size() > static_cast<size_t>(page_size)) {
    rows.resize(page_size);
    result.next_after_id = key(rows.back());
  }
  result.items = std::move(rows);
  return result;
}

}  // namespace

Status SqlReviewRepository::InsertCampaign(const ReviewCampaignRecord& c) {
  const std::string context = "insert " + CampaignName(c.id);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  return Execute(context_.connection,
                 std::string("INSERT INTO review_campaigns (") +
                     kCampaignColumns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 context, c.id, c.name, c.scope_json, c.state,
                 ToMicros(c.due_at), c.created_by, ToMicros(c.created_at),
                 OptionalMicros(c.closed_at), c.version);
}

Status SqlReviewRepository::UpdateCampaign(const ReviewCampaignRecord& c) {
  const std::string context = "update " + CampaignName(c.id);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_RETURN_IF_ERROR(
      Execute(context_.connection,
              "UPDATE review_campaigns SET name = ?, scope = ?, state = ?, "
              "due_at_us = ?, closed_at_us = ?, version = ? WHERE id = ? AND "
              "version = ?",
              context, c.name, c.scope_json, c.state, ToMicros(c.due_at),
              OptionalMicros(c.closed_at), c.version, c.id, c.version - 1));
  if (context_.connection.Changes() == 1) return Status::Ok();
  return FailedPrecondition(
      CampaignName(c.id) + " changed since it was read; retry",
      "version-conflict");
}

Result<ReviewCampaignRecord> SqlReviewRepository::GetCampaign(
    std::string_view id) {
  const std::string context = "get " + CampaignName(id);
  WARDEN_ASSIGN_OR_RETURN(std::optional<ReviewCampaignRecord> row,
                          QueryFirst(context_.connection,
                                     std::string("SELECT ") + kCampaignColumns +
                                         " FROM review_campaigns WHERE id = ?",
                                     context, &DecodeCampaign, id));
  if (!row) return NotFound(CampaignName(id) + " not found");
  return std::move(*row);
}

Result<Page<ReviewCampaignRecord>> SqlReviewRepository::ListCampaigns(
    std::string_view state, const PageRequest& page) {
  WhereClause where;
  where.AddTextIfSet("state", state);
  if (page.after_id) where.Add("id < ?", *page.after_id);
  const int page_size = std::clamp(page.limit, 1, kMaxReviewPageSize);
  std::vector<SqlParam> params = std::move(where.params());
  params.emplace_back(int64_t{page_size + 1});
  WARDEN_ASSIGN_OR_RETURN(
      std::vector<ReviewCampaignRecord> rows,
      QueryRows(context_.connection,
                std::string("SELECT ") + kCampaignColumns +
                    " FROM review_campaigns" + where.sql() +
                    " ORDER BY id DESC LIMIT ?",
                "list review campaigns", &DecodeCampaign, params));
  return ToPage<ReviewCampaignRecord>(
      std::move(rows), page_size,
      [](const ReviewCampaignRecord& c) { return c.id; });
}

Result<std::vector<ReviewCampaignRecord>> SqlReviewRepository::ListDue(
    Timestamp now) {
  return QueryRows(context_.connection,
                   std::string("SELECT ") + kCampaignColumns +
                       " FROM review_campaigns WHERE state = 'open' AND "
                       "due_at_us <= ? ORDER BY due_at_us",
                   "list due review campaigns", &DecodeCampaign, ToMicros(now));
}

Status SqlReviewRepository::PutItem(const ReviewItemRecord& i) {
  const std::string context = "record review of identity " +
                              Quoted(i.identity_id) + " in " +
                              CampaignName(i.campaign_id);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  return Execute(
      context_.connection,
      UpsertSql("review_items", kItemColumns, "campaign_id, identity_id"),
      context, i.campaign_id, i.identity_id, i.identity_name, i.owner,
      i.decision, i.justification, i.decided_by, OptionalMicros(i.decided_at));
}

Result<ReviewItemRecord> SqlReviewRepository::GetItem(
    std::string_view campaign_id, std::string_view identity_id) {
  const std::string context = "get review of identity " + Quoted(identity_id) +
                              " in " + CampaignName(campaign_id);
  WARDEN_ASSIGN_OR_RETURN(
      std::optional<ReviewItemRecord> row,
      QueryFirst(context_.connection,
                 std::string("SELECT ") + kItemColumns +
                     " FROM review_items WHERE campaign_id = ? AND "
                     "identity_id = ?",
                 context, &DecodeItem, campaign_id, identity_id));
  if (!row) {
    return NotFound("identity " + Quoted(identity_id) + " is not part of " +
                    CampaignName(campaign_id));
  }
  return std::move(*row);
}

Result<Page<ReviewItemRecord>> SqlReviewRepository::ListItems(
    std::string_view campaign_id, std::string_view decision,
    const PageRequest& page) {
  WhereClause where;
  where.AddText("campaign_id", campaign_id);
  where.AddTextIfSet("decision", decision);
  if (page.after_id) where.Add("identity_id > ?", *page.after_id);
  const int page_size = std::clamp(page.limit, 1, kMaxReviewPageSize);
  std::vector<SqlParam> params = std::move(where.params());
  params.emplace_back(int64_t{page_size + 1});
  WARDEN_ASSIGN_OR_RETURN(
      std::vector<ReviewItemRecord> rows,
      QueryRows(context_.connection,
                std::string("SELECT ") + kItemColumns + " FROM review_items" +
                    where.sql() + " ORDER BY identity_id LIMIT ?",
                "list review items", &DecodeItem, params));
  return ToPage<ReviewItemRecord>(
      std::move(rows), page_size,
      [](const ReviewItemRecord& i) { return i.identity_id; });
}

Result<std::map<std::string, int64_t>> SqlReviewRepository::CountItems(
    std::string_view campaign_id) {
  using DecisionCount = std::pair<std::string, int64_t>;
  WARDEN_ASSIGN_OR_RETURN(
      std::vector<DecisionCount> rows,
      QueryRows(
          context_.connection,
          "SELECT decision, COUNT(*) FROM review_items WHERE campaign_id = ? "
          "GROUP BY decision",
          "count items of " + CampaignName(campaign_id),
          [](const Statement& s) {
            return DecisionCount{s.Text(0), s.Int(1)};
          },
          campaign_id));
  return std::map<std::string, int64_t>(rows.begin(), rows.end());
}

Result<std::vector<ReviewItemRecord>> SqlReviewRepository::ListKeptBetween(
    std::string_view after_id, std::string_view last_id) {
  return QueryRows(context_.connection,
                   std::string("SELECT ") + kItemColumns +
                       " FROM review_items WHERE decision = 'keep' AND "
                       "identity_id > ? AND identity_id <= ? "
                       "ORDER BY identity_id",
                   "list kept identities in a range", &DecodeItem, after_id,
                   last_id);
}

}  // namespace warden::sql
