#include "store/sqlite/sqlite_certificate_repository.h"

#include <string>

namespace warden::sqlite {
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

Status SqliteCertificateRepository::Insert(const CertificateRecord& r) {
  const std::string context = "insert certificate " + r.serial;
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt, context_.connection.Prepare(
                          std::string("INSERT INTO certificates (") + kColumns +
                              ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                          context));
  stmt.Bind(r.serial);
  stmt.Bind(r.identity_id);
  stmt.Bind(r.spiffe_id);
  stmt.Bind(r.key_type);
  stmt.Bind(ToMicros(r.not_before));
  stmt.Bind(ToMicros(r.not_after));
  stmt.Bind(r.status);
  stmt.Bind(OptionalMicros(r.revoked_at));
  stmt.Bind(r.revocation_reason);
  stmt.Bind(r.issued_by);
  stmt.Bind(r.renewed_from);
  stmt.Bind(ToMicros(r.created_at));
  return stmt.Run(context);
}

Status SqliteCertificateRepository::Update(const CertificateRecord& r) {
  const std::string context = "update certificate " + r.serial;
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(
          "UPDATE certificates SET status = ?, revoked_at_us = ?, "
          "revocation_reason = ? WHERE serial = ?",
          context));
  stmt.Bind(r.status);
  stmt.Bind(OptionalMicros(r.revoked_at));
  stmt.Bind(r.revocation_reason);
  stmt.Bind(r.serial);
  WARDEN_RETURN_IF_ERROR(stmt.Run(context));
  if (context_.connection.Changes() == 1) return Status::Ok();
  return NotFound("certificate " + r.serial + " not found");
}

Result<CertificateRecord> SqliteCertificateRepository::Get(
    std::string_view serial) {
  const std::string context = "get certificate " + std::string(serial);
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(Select("WHERE serial = ?"), context));
  stmt.Bind(serial);
  WARDEN_ASSIGN_OR_RETURN(bool row, stmt.Step(context));
  if (!row)
    return NotFound("certificate " + std::string(serial) + " not found");
  return Decode(stmt);
}

Result<std::vector<CertificateRecord>> SqliteCertificateRepository::List(
    std::string_view identity_id, int limit) {
  constexpr char kContext[] = "list certificates";
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt, context_.connection.Prepare(
                          Select("WHERE (? = '' OR identity_id = ?) "
                                 "ORDER BY created_at_us DESC, serial LIMIT ?"),
                          kContext));
  stmt.Bind(identity_id);
  stmt.Bind(identity_id);
  stmt.Bind(int64_t{limit});
  return Collect(stmt, kContext);
}

Result<std::vector<CertificateRecord>>
SqliteCertificateRepository::ListRevokedUnexpired(Timestamp now) {
  constexpr char kContext[] = "list revoked certificates";
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(
          "SELECT c.serial, c.identity_id, c.spiffe_id, c.key_type, "
          "c.not_before_us, c.not_after_us, 'revoked', "
          "COALESCE(c.revoked_at_us, i.updated_at_us), c.revocation_reason, "
          "c.issued_by, c.renewed_from, c.created_at_us "
          "FROM certificates c LEFT JOIN identities i ON i.id = c.identity_id "
          "WHERE c.not_after_us > ? AND (c.status = 'revoked' OR "
          "i.status = 'revoked') ORDER BY c.serial",
          kContext));
  stmt.Bind(ToMicros(now));
  return Collect(stmt, kContext);
}

Result<std::vector<CertificateRecord>> SqliteCertificateRepository::Collect(
    Statement& stmt, std::string_view context) {
  std::vector<CertificateRecord> records;
  while (true) {
    WARDEN_ASSIGN_OR_RETURN(bool row, stmt.Step(context));
    if (!row) return records;
    records.push_back(Decode(stmt));
  }
}

}  // namespace warden::sqlite
