// Certificate routes: /v1/certificates (issue, renew, list, revoke) and the
// public PKI documents /pki/ca (CA bundle, PEM) and /pki/crl (PEM, or DER
// with ?format=der). Renewal is public at the HTTP layer: the presented
// certificate plus a CSR signed by its key is the credential.
#ifndef WARDEN_HTTP_CERTIFICATE_ROUTES_H_
#define WARDEN_HTTP_CERTIFICATE_ROUTES_H_

#include "http/router.h"
#include "service/certificate_service.h"

namespace warden {

void AddCertificateRoutes(Router& router, CertificateService& certificates);

}  // namespace warden

#endif  // WARDEN_HTTP_CERTIFICATE_ROUTES_H_
