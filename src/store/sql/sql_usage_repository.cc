#include "store/sql/sql_usage_repository.h"

#include <string>

#include "store/sql/query.h"

namespace warden::sql {
namespace {

constexpr char kSightingColumns[] =
    "identity_id, source_network, user_agent, client, first_seen_us, "
    "last_seen_us, uses, hours_mask, weekdays_mask";

UsageSightingRecord DecodeSighting(const Statement& s) {
  UsageSightingRecord u;
  u.identity_id = s.Text(0);
  u.source_network = s.Text(1);
  u.user_agent = s.Text(2);
  u.client = s.Text(3);
  u.first_seen = FromMicros(s.Int(4));
  u.last_seen = FromMicros(s.Int(5));
  u.uses = s.Int(6);
  u.hours_mask = s.Int(7);
  u.weekdays_mask = s.Int(8);
  return u;
}

}  // namespace

Status SqlUsageRepository::AddSightings(
    const std::vector<UsageSightingRecord>& sightings) {
  constexpr char kContext[] = "record usage sightings";
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(kContext));
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(
          std::string("INSERT INTO usage_sightings (") + kSightingColumns +
              // Typed: PostgreSQL reads an untyped SELECT-list parameter
              // as text.
              ") SELECT ?1, ?2, ?3, ?4, CAST(?5 AS BIGINT), CAST(?6 AS "
              "BIGINT), CAST(?7 AS BIGINT), CAST(?8 AS BIGINT), CAST(?9 AS "
              "BIGINT) WHERE EXISTS (SELECT 1 FROM identities WHERE id = ?1) "
              "ON CONFLICT (identity_id, source_network, user_agent, client) "
              "DO UPDATE SET first_seen_us = CASE WHEN excluded.first_seen_us "
              "< usage_sightings.first_seen_us THEN excluded.first_seen_us "
              "ELSE usage_sightings.first_seen_us END, last_seen_us = CASE "
              "WHEN excluded.last_seen_us > usage_sightings.last_seen_us THEN "
              "excluded.last_seen_us ELSE usage_sightings.last_seen_us END, "
              "uses = usage_sightings.uses + excluded.uses, "
              "hours_mask = usage_sightings.hours_mask | excluded.hours_mask, "
              "weekdays_mask = usage_sightings.weekdays_mask | "
              "excluded.weekdays_mask",
          kContext));
  for (const UsageSightingRecord& u : sightings) {
    WARDEN_RETURN_IF_ERROR(
        Execute(stmt, kContext, u.identity_id, u.source_network, u.user_agent,
                u.client, ToMicros(u.first_seen), ToMicros(u.last_seen), u.uses,
                u.hours_mask, u.weekdays_mask));
  }
  return Status::Ok();
}

Result<std::vector<UsageSightingRecord>> SqlUsageRepository::ListSightings(
    std::string_view identity_id) {
  return QueryRows(context_.connection,
                   std::string("SELECT ") + kSightingColumns +
                       " FROM usage_sightings WHERE identity_id = ? "
                       "ORDER BY last_seen_us DESC",
                   "list usage sightings of identity " + Quoted(identity_id),
                   &DecodeSighting, identity_id);
}

Result<std::vector<UsageSightingRecord>>
SqlUsageRepository::ListSightingsBetween(std::string_view after_id,
                                         std::string_view last_id) {
  return QueryRows(context_.connection,
                   std::string("SELECT ") + kSightingColumns +
                       " FROM usage_sightings WHERE identity_id > ? AND "
                       "identity_id <= ? ORDER BY identity_id",
                   "list usage sightings in an identity range", &DecodeSighting,
                   after_id, last_id);
}

}  // namespace warden::sql
