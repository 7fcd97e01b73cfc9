// The access policies behind the AuthZEN decision point, per environment:
//
//   GET  /v1/access/policies/{environment}            the active version,
//        with its "document" (404 when none)
//   GET  /v1/access/policies/{environment}/versions   {"items": [...]},
//        newest first, without documents
//   GET  /v1/access/policies/{environment}/versions/{version}
//   POST /v1/access/policies/{environment}/versions   {"policy": {...},
//        "reason"} -> 201 (active at once: development, staging) or 202
//        (production: "pending" with its "approval_id"; POST
//        /v1/approvals/{id}/approve activates it)
//
// Roles: access_policy.read (admin, security, auditor, app_owner) and
// access_policy.write (admin, security).
#ifndef WARDEN_API_ACCESS_POLICY_ROUTES_H_
#define WARDEN_API_ACCESS_POLICY_ROUTES_H_

#include "access/access_policy_service.h"
#include "http/router.h"

namespace warden::api {

void AddAccessPolicyRoutes(Router& router,
                           access::AccessPolicyService& policies);

}  // namespace warden::api

#endif  // WARDEN_API_ACCESS_POLICY_ROUTES_H_
