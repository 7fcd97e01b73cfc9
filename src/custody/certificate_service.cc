#include "custody/certificate_service.h"

#include <fmt/format.h>

#include <algorithm>

#include "authz/workload_authorizer.h"
#include "core/id.h"
#include "core/time_format.h"
#include "pki/spiffe_id.h"
#include "service/audited_write.h"

namespace warden::custody {
namespace {

// How long a published CRL is valid; clients refetch well before.
constexpr std::chrono::hours kCrlValidity{24};
constexpr size_t kMaxReasonLength = 1024;

bool SameEntries(const std::vector<pki::RevokedSerial>& a,
                 const std::vector<pki::RevokedSerial>& b) {
  return std::equal(
      a.begin(), a.end(), b.begin(), b.end(),
      [](const pki::RevokedSerial& x, const pki::RevokedSerial& y) {
        return x.serial == y.serial && x.revoked_at == y.revoked_at;
      });
}

std::string CertificateTarget(std::string_view serial) {
  return fmt::format("certificate/{}", serial);
}

Status CheckIssuable(const Identity& identity, Timestamp now) {
  if (identity.status != IdentityStatus::kActive) {
    return FailedPrecondition(
        fmt::format("identity {} is {}; only active identities get "
                    "certificates",
                    identity.name, Name(identity.status)),
        "identity-not-active");
  }
  if (identity.expires_at <= now) {
    return FailedPrecondition(
        fmt::format("identity {} has expired", identity.name),
        "identity-expired");
  }
  return Status::Ok();
}

boost::json::object Describe(const CertificateRecord& r) {
  return {{"serial", r.serial},
          {"spiffe_id", r.spiffe_id},
          {"identity_id", r.identity_id},
          {"key_type", r.key_type},
          {"not_after", FormatRfc3339(r.not_after)},
          {"status", r.status}};
}

}  // namespace

Result<Identity> LoadIdentityByKey(Transaction& tx, std::string_view key) {
  Result<Identity> found = IsWellFormedId(key) ? tx.identities().Get(key)
                                               : tx.identities().GetByName(key);
  if (found.ok() || found.status().code() != StatusCode::kNotFound) {
    return found;
  }
  return NotFound(fmt::format("identity \"{}\" does not exist", key));
}

Result<std::string> CertificateService::SpiffeIdOf(
    const Identity& identity) const {
  const std::string text = pki::WorkloadSpiffeId(
      trust_domain_, Name(identity.environment), identity.name);
  Result<pki::SpiffeId> id = pki::ParseSpiffeId(text);
  if (!id.ok()) return id.status().WithContext("identity " + identity.name);
  return id->ToString();
}

Result<IssuedSvid> CertificateService::IssueFor(
    Transaction& tx, const Identity& identity,
    const pki::CertificateRequest& request,
    std::optional<std::chrono::seconds> ttl, Timestamp now,
    std::string issued_by, std::string renewed_from) {
  WARDEN_RETURN_IF_ERROR(CheckIssuable(identity, now));
  WARDEN_ASSIGN_OR_RETURN(std::string spiffe_id, SpiffeIdOf(identity));
  WARDEN_ASSIGN_OR_RETURN(std::chrono::seconds lifetime,
                          policy_.LifetimeFor(identity.risk_tier, ttl));
  // Never outlive the identity itself.
  const auto remaining =
      std::chrono::floor<std::chrono::seconds>(identity.expires_at - now);
  lifetime = std::min(lifetime, remaining);
  WARDEN_ASSIGN_OR_RETURN(pki::IssuedCertificate issued,
                          ca_.Sign(request, spiffe_id, now, lifetime));
  IssuedSvid svid;
  svid.record = {issued.serial,
                 identity.id,
                 spiffe_id,
                 request.key_type(),
                 issued.not_before,
                 issued.not_after,
                 "active",
                 std::nullopt,
                 "",
                 std::move(issued_by),
                 std::move(renewed_from),
                 now};
  WARDEN_RETURN_IF_ERROR(tx.certificates().Insert(svid.record));
  svid.certificate_pem = std::move(issued.pem);
  svid.ca_bundle_pem = ca_.certificate_pem();
  svid.renew_after = RenewAfter(issued.not_before, issued.not_after);
  return svid;
}

Result<IssuedSvid> CertificateService::Sign(
    const Caller& caller, std::string_view identity, std::string_view csr_pem,
    std::optional<std::chrono::seconds> ttl) {
  AuditedWrite write(store_, auditor_, caller, "certificate.issue",
                     fmt::format("identity/{}", identity),
                     Permission::kCertificateIssue);
  IssuedSvid svid;
  const Status status = write.Run([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(Identity subject, LoadIdentityByKey(tx, identity));
    WARDEN_RETURN_IF_ERROR(write.Authorize(subject.owner));
    WARDEN_ASSIGN_OR_RETURN(pki::CertificateRequest request,
                            pki::CertificateRequest::Parse(csr_pem));
    WARDEN_ASSIGN_OR_RETURN(svid,
                            IssueFor(tx, subject, request, ttl, write.now(),
                                     caller.principal.subject, ""));
    return write.Record(tx, Describe(svid.record));
  });
  if (!status.ok()) return status;
  return svid;
}

Result<IssuedSvid> CertificateService::Renew(
    const Caller& caller, std::string_view current_pem,
    std::string_view csr_pem, std::optional<std::chrono::seconds> ttl,
    Possession possession) {
  Result<pki::LeafFacts> facts = ca_.InspectLeaf(current_pem);
  const std::string target =
      facts.ok() ? CertificateTarget(facts->serial) : "certificate";
  // The presented certificate is the credential; the checks below are the
  // authorization, so the write needs no role permission.
  AuditedWrite write(store_, auditor_, caller, "certificate.renew", target,
                     Permission::kCertificateIssue);
  IssuedSvid svid;
  const Status status = write.Run([&](Transaction& tx) -> Status {
    if (!facts.ok()) return facts.status();
    Result<CertificateRecord> current = tx.certificates().Get(facts->serial);
    if (!current.ok() || current->status != "active" ||
        facts->not_after <= write.now()) {
      return Unauthenticated(
          "the presented certificate is unknown, revoked or expired");
    }
    WARDEN_ASSIGN_OR_RETURN(Identity subject,
                            LoadIdentityByKey(tx, current->identity_id));
    WARDEN_ASSIGN_OR_RETURN(pki::CertificateRequest request,
                            pki::CertificateRequest::Parse(csr_pem));
    // A certificate is public: the CSR, signed by the certificate's own
    // key, is the proof that the caller holds that key, unless the TLS
    // handshake proved it already.
    if (possession == Possession::kCsrSignedByCurrentKey &&
        request.public_key_der() != facts->public_key_der) {
      return Unauthenticated(
          "renewal CSR must be signed by the current certificate's key");
    }
    const std::string how =
        possession == Possession::kTlsHandshake ? "renewal-mtls:" : "renewal:";
    WARDEN_ASSIGN_OR_RETURN(svid,
                            IssueFor(tx, subject, request, ttl, write.now(),
                                     how + current->serial, current->serial));
    return write.Record(tx, Describe(svid.record));
  });
  if (!status.ok()) return status;
  return svid;
}

Result<IssuedSvid> CertificateService::RenewByToken(
    const Caller& caller, std::string_view identity, std::string_view csr_pem,
    std::optional<std::chrono::seconds> ttl) {
  const std::string own_id =
      caller.principal.workload ? caller.principal.workload->identity_id : "";
  AuditedWrite write(store_, auditor_, caller, "certificate.renew",
                     fmt::format("identity/{}", own_id),
                     Permission::kCertificateIssue);
  IssuedSvid svid;
  const Status status = write.Run([&](Transaction& tx) -> Status {
    // The token names the identity; a body naming another one (or none that
    // exists) is refused the same way, so it reveals nothing.
    std::string named = own_id;
    if (!identity.empty()) {
      Result<Identity> found = LoadIdentityByKey(tx, identity);
      if (!found.ok() && found.status().code() != StatusCode::kNotFound) {
        return found.status();
      }
      named = found.ok() ? found->id : "";
    }
    AuthzDecision decision =
        AuthorizeWorkload(caller.principal, kCertificatesRenewScope, named);
    if (!decision.allowed) {
      return write.Refuse(std::move(decision.reason), "workload-not-allowed");
    }
    WARDEN_ASSIGN_OR_RETURN(Identity subject, LoadIdentityByKey(tx, own_id));
    WARDEN_ASSIGN_OR_RETURN(pki::CertificateRequest request,
                            pki::CertificateRequest::Parse(csr_pem));
    WARDEN_ASSIGN_OR_RETURN(svid,
                            IssueFor(tx, subject, request, ttl, write.now(),
                                     caller.principal.subject, ""));
    boost::json::object details = Describe(svid.record);
    details["credential"] = "access_token";
    details["jti"] = caller.principal.workload->jwt_id;
    return write.Record(tx, std::move(details));
  });
  if (!status.ok()) return status;
  return svid;
}

Result<CertificateRecord> CertificateService::Revoke(const Caller& caller,
                                                     std::string_view serial,
                                                     std::string_view reason) {
  AuditedWrite write(store_, auditor_, caller, "certificate.revoke",
                     CertificateTarget(serial), Permission::kCertificateRevoke);
  CertificateRecord record;
  const Status status = write.Run([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(record, tx.certificates().Get(serial));
    WARDEN_ASSIGN_OR_RETURN(Identity subject,
                            LoadIdentityByKey(tx, record.identity_id));
    WARDEN_RETURN_IF_ERROR(write.Authorize(subject.owner));
    if (reason.empty() || reason.size() > kMaxReasonLength) {
      return InvalidArgument("reason: required, at most 1024 characters");
    }
    if (record.status == "revoked") {
      return FailedPrecondition(
          "certificate " + record.serial + " is already revoked",
          "already-revoked");
    }
    record.status = "revoked";
    record.revoked_at = write.now();
    record.revocation_reason = std::string(reason);
    WARDEN_RETURN_IF_ERROR(tx.certificates().Update(record));
    return write.Record(tx, Describe(record));
  });
  if (!status.ok()) return status;
  {
    MutexLock lock(crl_mu_);
    crl_.reset();  // the next /pki/crl lists it
    ++crl_generation_;
  }
  return record;
}

Result<std::vector<CertificateRecord>> CertificateService::List(
    const Caller& caller, std::string_view identity, int limit) {
  std::vector<CertificateRecord> found;
  const int bounded = std::clamp(limit, 1, kMaxCertificatePage);
  const Status status = auditor_.AuditedRead(
      caller, Permission::kCertificateRead, "certificate.list", "certificate",
      [&](Transaction& tx) -> Status {
        std::string identity_id;
        if (!identity.empty()) {
          WARDEN_ASSIGN_OR_RETURN(Identity subject,
                                  LoadIdentityByKey(tx, identity));
          identity_id = subject.id;
        }
        WARDEN_ASSIGN_OR_RETURN(found,
                                tx.certificates().List(identity_id, bounded));
        return Status::Ok();
      },
      {{"identity", identity}});
  if (!status.ok()) return status;
  return found;
}

Result<std::vector<pki::RevokedSerial>> CertificateService::RevokedEntries(
    Timestamp now) {
  std::vector<CertificateRecord> revoked;
  WARDEN_RETURN_IF_ERROR(store_.Read([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(revoked,
                            tx.certificates().ListRevokedUnexpired(now));
    return Status::Ok();
  }));
  std::vector<pki::RevokedSerial> entries;
  for (const CertificateRecord& r : revoked) {
    entries.push_back({r.serial, r.revoked_at.value_or(now)});
  }
  return entries;
}

Result<std::shared_ptr<const CrlDocument>> CertificateService::Sign(
    std::vector<pki::RevokedSerial> entries, Timestamp now) {
  auto document = std::make_shared<CrlDocument>();
  // Seconds since the epoch: increases with every fresh CRL (RFC 5280
  // section 5.2.3 asks for a monotonically increasing number).
  WARDEN_ASSIGN_OR_RETURN(document->pem, ca_.CrlPem(entries, ToUnixSeconds(now),
                                                    now, kCrlValidity));
  WARDEN_ASSIGN_OR_RETURN(document->der, pki::CrlPemToDer(document->pem));
  document->entries = std::move(entries);
  document->signed_at = now;
  return std::shared_ptr<const CrlDocument>(std::move(document));
}

Result<std::shared_ptr<const CrlDocument>> CertificateService::Crl() {
  const Timestamp now = auditor_.clock().Now();
  std::shared_ptr<const CrlDocument> cached;
  uint64_t generation = 0;
  {
    MutexLock lock(crl_mu_);
    cached = crl_;
    generation = crl_generation_;
    if (cached && now - crl_checked_at_ < kCrlRecheckPeriod) return cached;
  }
  WARDEN_ASSIGN_OR_RETURN(std::vector<pki::RevokedSerial> entries,
                          RevokedEntries(now));
  const bool reuse = cached && now - cached->signed_at < kCrlResignPeriod &&
                     SameEntries(entries, cached->entries);
  std::shared_ptr<const CrlDocument> document = cached;
  if (!reuse) {
    WARDEN_ASSIGN_OR_RETURN(document, Sign(std::move(entries), now));
  }
  MutexLock lock(crl_mu_);
  if (generation == crl_generation_) {
    crl_ = document;
    crl_checked_at_ = now;
  }
  return document;
}

Result<std::string> CertificateService::CrlPem() {
  WARDEN_ASSIGN_OR_RETURN(std::shared_ptr<const CrlDocument> crl, Crl());
  return crl->pem;
}

}  // namespace warden::custody
