#include "store/sql/sql_consent_repository.h"

#include <string>

#include "store/sql/query.h"
#include "store/sql/upsert.h"

namespace warden::sql {
namespace {

constexpr char kConsentColumns[] =
    "tenant_key, flag_key, kind, via, release_id, recorded_by, "
    "recorded_at_us";

ConsentRecord DecodeConsent(const Statement& s) {
  ConsentRecord c;
  c.tenant_key = s.Text(0);
  c.flag_key = s.Text(1);
  c.kind = s.Text(2);
  c.via = s.Text(3);
  c.release_id = s.Text(4);
  c.recorded_by = s.Text(5);
  c.recorded_at = FromMicros(s.Int(6));
  return c;
}

}  // namespace

Status SqlConsentRepository::Put(const ConsentRecord& c) {
  const std::string context = "record " + c.kind + " of tenant " +
                              Quoted(c.tenant_key) + " for flag " +
                              Quoted(c.flag_key);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  return Execute(context_.connection,
                 UpsertSql("tenant_consents", kConsentColumns,
                           "tenant_key, flag_key, kind"),
                 context, c.tenant_key, c.flag_key, c.kind, c.via, c.release_id,
                 c.recorded_by, ToMicros(c.recorded_at));
}

Result<std::vector<ConsentRecord>> SqlConsentRepository::ListForTenant(
    std::string_view tenant_key) {
  return QueryRows(context_.connection,
                   std::string("SELECT ") + kConsentColumns +
                       " FROM tenant_consents WHERE tenant_key = ? "
                       "ORDER BY flag_key, kind",
                   "list consents of tenant " + Quoted(tenant_key),
                   &DecodeConsent, tenant_key);
}

Result<std::vector<ConsentRecord>> SqlConsentRepository::ListForFlags(
    const std::vector<std::string>& flag_keys) {
  std::vector<ConsentRecord> all;
  for (const std::string& flag : flag_keys) {
    WARDEN_ASSIGN_OR_RETURN(
        std::vector<ConsentRecord> rows,
        QueryRows(context_.connection,
                  std::string("SELECT ") + kConsentColumns +
                      " FROM tenant_consents WHERE flag_key = ? "
                      "ORDER BY tenant_key, kind",
                  "list consents for flag " + Quoted(flag), &DecodeConsent,
                  flag));
    all.insert(all.end(), std::make_move_iterator(rows.begin()),
               std::make_move_iterator(rows.end()));
  }
  return all;
}

}  // namespace warden::sql
