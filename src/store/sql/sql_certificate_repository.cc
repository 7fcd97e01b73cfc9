#include "store/sql/sql_certificate_repository.h"

#include <string>

#include "store/sql/query.h"

namespace warden::sql {
namespace {

constexpr char kColumns[] =
    "serial, identity_id, spiffe_id, key_type, not_before_us, not_after_us, "
    "status, revoked_at_us, revocation_reason, issued_by, renewed_from, "
    "created_at_us";

std::string Select(const char* where) {
  return std::string("SELECT ") + kColumns + " FROM certificates " + where;
}

CertificateRecord Decode(const Statement& s) {
  CertificateRecord r;
  r.serial = s.Text(0);
  r.identity_id = s.Text(1);
  r.spiffe_id = s.Text(2);
  r.key_type = s.Text(3);
  r.not_before = FromMicros(s.Int(4));
  r.not_after = FromMicros(s.Int(5));
  r.status = s.Text(6);
  r.revoked_at = OptionalTimestamp(s.OptionalInt(7));
  r.revocation_reason = s.Text(8);
  r.issued_by = s.Text(9);
  r.renewed_from = s.Text(10);
  r.created_at = FromMicros(s.Int(11));
  return r;
}

}  // namespace

Status SqlCertificateRepository::Insert(const CertificateRecord& r) {
  const std::string context = "insert certificate " + r.serial;
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  return Execute(context_.connection,
                 std::string("INSERT INTO certificates (") + kColumns +
                     ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                 context, r.serial, r.identity_id, r.spiffe_id, r.key_type,
                 ToMicros(r.not_before), ToMicros(r.not_after), r.status,
                 OptionalMicros(r.revoked_at), r.revocation_reason, r.issued_by,
                 r.renewed_from, ToMicros(r.created_at));
}

Status SqlCertificateRepository::Update(const CertificateRecord& r) {
  const std::string context = "update certificate " + r.serial;
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_RETURN_IF_ERROR(
      Execute(context_.connection,
              "UPDATE certificates SET status = ?, revoked_at_us = ?, "
              "revocation_reason = ? WHERE serial = ?",
              context, r.status, OptionalMicros(r.revoked_at),
              r.revocation_reason, r.serial));
  return context_.RequireChanged("certificate " + r.serial);
}

Result<CertificateRecord> SqlCertificateRepository::Get(
    std::string_view serial) {
  const std::string context = "get certificate " + std::string(serial);
  WARDEN_ASSIGN_OR_RETURN(
      std::optional<CertificateRecord> record,
      QueryFirst(context_.connection, Select("WHERE serial = ?"), context,
                 Decode, serial));
  if (!record) {
    return NotFound("certificate " + std::string(serial) + " not found");
  }
  return std::move(*record);
}

Result<std::vector<CertificateRecord>> SqlCertificateRepository::List(
    std::string_view identity_id, int limit) {
  return QueryRows(context_.connection,
                   Select("WHERE (? = '' OR identity_id = ?) "
                          "ORDER BY created_at_us DESC, serial LIMIT ?"),
                   "list certificates", Decode, identity_id, identity_id,
                   int64_t{limit});
}

Result<std::vector<CertificateRecord>>
SqlCertificateRepository::ListRevokedUnexpired(Timestamp now) {
  return QueryRows(
      context_.connection,
      "SELECT c.serial, c.identity_id, c.spiffe_id, c.key_type, "
      "c.not_before_us, c.not_after_us, 'revoked', "
      "COALESCE(c.revoked_at_us, i.updated_at_us), c.revocation_reason, "
      "c.issued_by, c.renewed_from, c.created_at_us "
      "FROM certificates c LEFT JOIN identities i ON i.id = c.identity_id "
      "WHERE c.not_after_us > ? AND (c.status = 'revoked' OR "
      "i.status = 'revoked') ORDER BY c.serial",
      "list revoked certificates", Decode, ToMicros(now));
}

}  // namespace warden::sql
