// Certificate routes: /v1/certificates (issue, renew, list, revoke) and the
// public PKI documents /pki/ca (CA bundle, PEM) and /pki/crl (PEM, or DER
// with ?format=der). Renewal (POST /v1/certificates/renew) is public at the
// HTTP layer and takes one of two credentials: the presented certificate
// plus a CSR signed by its key (proof of possession), or the identity's own
// OAuth access token with scope certificates:renew plus a CSR (the route
// accepts workload tokens; see CertificateService::RenewByToken). It is
// rate limited per source address (429 with Retry-After).
#ifndef WARDEN_API_CERTIFICATE_ROUTES_H_
#define WARDEN_API_CERTIFICATE_ROUTES_H_

#include "custody/certificate_service.h"
#include "http/router.h"

namespace warden::api {

void AddCertificateRoutes(Router& router,
                          custody::CertificateService& certificates);

}  // namespace warden::api

#endif  // WARDEN_API_CERTIFICATE_ROUTES_H_
