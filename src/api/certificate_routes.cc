#include "api/certificate_routes.h"

#include <boost/json/array.hpp>
#include <chrono>
#include <memory>
#include <string_view>

#include "api/resource_json.h"
#include "api/route_glue.h"
#include "core/time_format.h"
#include "http/client_certificate.h"
#include "http/json_reader.h"
#include "http/problem.h"
#include "http/query_reader.h"
#include "service/keyed_rate_limiter.h"

namespace warden::api {
namespace {

// Identity keys, CSRs and certificates are bounded by their parsers; this
// bounds the TTL field to a day's worth of seconds times 365.
constexpr int64_t kMaxTtlSeconds = 365LL * 24 * 3600;

constexpr char kRenewPath[] = "/v1/certificates/renew";

// The public renewal route, per source address: a workload renews at about
// half its SVID's lifetime (minutes to hours), so even a node with many
// workloads behind one address stays far below this, while a flood of
// renewals (each one a CSR parse and a CA signature) is cut off early.
constexpr RateLimit kRenewalRate{/*per_second=*/2, /*burst=*/20,
                                 /*max_clients=*/100'000};

struct RenewalRateLimit {
  // A constructor, not an aggregate: clang 14 (the fuzz build) lacks C++20
  // parenthesised aggregate initialisation in make_shared.
  explicit RenewalRateLimit(custody::CertificateService& certificates)
      : service(certificates) {}
  custody::CertificateService& service;
  KeyedRateLimiter limiter{kRenewalRate};
};

boost::json::object ToJson(const CertificateRecord& r) {
  boost::json::object out{{"serial", r.serial},
                          {"identity_id", r.identity_id},
                          {"spiffe_id", r.spiffe_id},
                          {"key_type", r.key_type},
                          {"not_before", FormatRfc3339(r.not_before)},
                          {"not_after", FormatRfc3339(r.not_after)},
                          {"status", r.status},
                          {"issued_by", r.issued_by},
                          {"renewed_from", r.renewed_from},
                          {"created_at", FormatRfc3339(r.created_at)}};
  if (r.revoked_at) {
    out["revoked_at"] = FormatRfc3339(*r.revoked_at);
    out["revocation_reason"] = r.revocation_reason;
  }
  return out;
}

ApiResponse IssuedResponse(const custody::IssuedSvid& svid, int status) {
  boost::json::object out = ToJson(svid.record);
  out["certificate"] = svid.certificate_pem;
  out["ca_bundle"] = svid.ca_bundle_pem;
  out["renew_after"] = FormatRfc3339(svid.renew_after);
  ApiResponse response = JsonResponse(out, status);
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

Result<std::optional<std::chrono::seconds>> ReadTtl(JsonObjectReader& reader) {
  std::optional<int64_t> ttl;
  reader.Int("ttl_seconds", &ttl);
  if (ttl && (*ttl <= 0 || *ttl > kMaxTtlSeconds)) {
    return InvalidArgument("ttl_seconds: out of range", "invalid-value");
  }
  if (!ttl) return std::optional<std::chrono::seconds>();
  return std::optional<std::chrono::seconds>(std::chrono::seconds(*ttl));
}

Result<ApiResponse> Issue(custody::CertificateService& service,
                          const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(boost::json::object body,
                          ParseJsonObject(request.body));
  JsonObjectReader reader(body);
  std::string identity, csr;
  reader.String("identity", &identity, Presence::kRequired);
  reader.String("csr", &csr, Presence::kRequired);
  WARDEN_ASSIGN_OR_RETURN(auto ttl, ReadTtl(reader));
  WARDEN_RETURN_IF_ERROR(reader.Finish());
  WARDEN_ASSIGN_OR_RETURN(custody::IssuedSvid svid,
                          service.Sign(request.caller, identity, csr, ttl));
  return IssuedResponse(svid, 201);
}

// The peer's address without its port ("[::1]:80" -> "[::1]").
std::string_view SourceOf(std::string_view remote) {
  const size_t colon = remote.rfind(':');
  return colon == std::string_view::npos ? remote : remote.substr(0, colon);
}

// Before any parsing or signing: renewal is public and costs a signature.
std::optional<ApiResponse> RateLimited(RenewalRateLimit& limit,
                                       const ApiRequest& request) {
  const std::chrono::seconds wait =
      limit.limiter.Acquire(SourceOf(request.remote), limit.service.Now());
  if (wait.count() == 0) return std::nullopt;
  ApiResponse response = ProblemResponse(
      Status(StatusCode::kResourceExhausted,
             "too many certificate renewals from this address; retry after " +
                 std::to_string(wait.count()) + "s",
             "rate-limited"),
      request.request_id, kRenewPath);
  response.headers.emplace_back("Retry-After", std::to_string(wait.count()));
  return response;
}

// Renewal by the identity's own access token (the pipeline verified it):
// the body is the CSR, an optional TTL and, optionally, the identity it
// expects to renew (refused unless it is the token's).
Result<ApiResponse> RenewByToken(custody::CertificateService& service,
                                 const ApiRequest& request,
                                 JsonObjectReader& reader) {
  std::string identity, csr;
  reader.String("identity", &identity);
  reader.String("csr", &csr, Presence::kRequired);
  WARDEN_ASSIGN_OR_RETURN(auto ttl, ReadTtl(reader));
  WARDEN_RETURN_IF_ERROR(reader.Finish());
  WARDEN_ASSIGN_OR_RETURN(
      custody::IssuedSvid svid,
      service.RenewByToken(request.caller, identity, csr, ttl));
  return IssuedResponse(svid, 201);
}

Result<ApiResponse> Renew(RenewalRateLimit& limit, const ApiRequest& request) {
  if (std::optional<ApiResponse> refused = RateLimited(limit, request)) {
    return std::move(*refused);
  }
  custody::CertificateService& service = limit.service;
  WARDEN_ASSIGN_OR_RETURN(boost::json::object body,
                          ParseJsonObject(request.body));
  JsonObjectReader reader(body);
  if (request.caller.principal.workload) {
    return RenewByToken(service, request, reader);
  }
  // Over mutual TLS the handshake presented the certificate and proved its
  // key; otherwise the body carries it and the CSR proves the key.
  const ClientCertificate* presented = request.client_certificate.get();
  std::string certificate, csr;
  reader.String(
      "certificate", &certificate,
      presented != nullptr ? Presence::kOptional : Presence::kRequired);
  reader.String("csr", &csr, Presence::kRequired);
  WARDEN_ASSIGN_OR_RETURN(auto ttl, ReadTtl(reader));
  WARDEN_RETURN_IF_ERROR(reader.Finish());
  using Possession = custody::CertificateService::Possession;
  Possession possession = Possession::kCsrSignedByCurrentKey;
  if (certificate.empty() && presented != nullptr) {
    certificate = presented->pem;
    possession = Possession::kTlsHandshake;
  }
  Caller holder;
  holder.principal.subject = "certificate-holder";
  holder.principal.role = Role::kSdk;  // no role grants; the cert decides
  holder.request_id = request.request_id;
  holder.remote = request.remote;
  WARDEN_ASSIGN_OR_RETURN(
      custody::IssuedSvid svid,
      service.Renew(holder, certificate, csr, ttl, possession));
  return IssuedResponse(svid, 201);
}

Result<ApiResponse> List(custody::CertificateService& service,
                         const ApiRequest& request) {
  QueryReader query(request.query);
  std::optional<std::string> identity;
  std::optional<int64_t> limit;
  query.String("identity", &identity);
  query.Int("limit", &limit, 1, custody::kMaxCertificatePage);
  WARDEN_RETURN_IF_ERROR(query.Finish());
  WARDEN_ASSIGN_OR_RETURN(std::vector<CertificateRecord> records,
                          service.List(request.caller, identity.value_or(""),
                                       static_cast<int>(limit.value_or(100))));
  return ItemsResponse(records,
                       [](const CertificateRecord& r) { return ToJson(r); });
}

Result<ApiResponse> Revoke(custody::CertificateService& service,
                           const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(boost::json::object body,
                          ParseJsonObject(request.body));
  WARDEN_ASSIGN_OR_RETURN(std::string reason,
                          ReasonFromJson(body, Presence::kRequired));
  WARDEN_ASSIGN_OR_RETURN(
      CertificateRecord record,
      service.Revoke(request.caller, PathParam(request, "serial"), reason));
  return JsonResponse(ToJson(record));
}

ApiResponse PemResponse(std::string body, const char* type) {
  ApiResponse response;
  response.content_type = type;
  response.body = std::move(body);
  return response;
}

Result<ApiResponse> Crl(custody::CertificateService& service,
                        const ApiRequest& request) {
  QueryReader query(request.query);
  std::optional<std::string> format;
  query.String("format", &format);
  WARDEN_RETURN_IF_ERROR(query.Finish());
  WARDEN_ASSIGN_OR_RETURN(
      bool pem, CheckTwoWordParam({"format", "pem", "der", true}, format));
  WARDEN_ASSIGN_OR_RETURN(std::shared_ptr<const custody::CrlDocument> crl,
                          service.Crl());
  if (!pem) return PemResponse(crl->der, "application/pkix-crl");
  return PemResponse(crl->pem, "application/x-pem-file");
}

}  // namespace

void AddCertificateRoutes(Router& router,
                          custody::CertificateService& certificates) {
  const auto kAuth = RouteAccess::kAuthenticated;
  const auto kPublic = RouteAccess::kPublic;
  const auto kBlock = RouteCost::kBlocking;
  router.Add(
      {"GET", "/v1/certificates", kAuth, kBlock, Bind(certificates, List)});
  router.Add(
      {"POST", "/v1/certificates", kAuth, kBlock, Bind(certificates, Issue)});
  // Public: either credential is checked by the service (the presented
  // certificate, or the access token the pipeline verified).
  auto renewal = std::make_shared<RenewalRateLimit>(certificates);
  router.Add({"POST", kRenewPath, kPublic, kBlock,
              [renewal](const ApiRequest& r) { return Renew(*renewal, r); },
              RouteWorkload::kAccepted});
  router.Add({"POST", "/v1/certificates/{serial}/revoke", kAuth, kBlock,
              Bind(certificates, Revoke)});
  router.Add({"GET", "/pki/ca", kPublic, RouteCost::kInline,
              [&certificates](const ApiRequest&) -> Result<ApiResponse> {
                return PemResponse(certificates.ca_bundle_pem(),
                                   "application/x-pem-file");
              }});
  router.Add({"GET", "/pki/crl", kPublic, kBlock, Bind(certificates, Crl)});
}

}  // namespace warden::api
