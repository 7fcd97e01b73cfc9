// The /v1 route table, one function per area. Each handler is
// parse -> one service call -> JSON; errors come back as Status and are
// mapped to problem+json by the pipeline; what the handlers share is in
// route_glue.h. Services are borrowed and must outlive the router.
#ifndef WARDEN_API_API_ROUTES_H_
#define WARDEN_API_API_ROUTES_H_

#include "approvals/approval_engine.h"
#include "http/metrics.h"
#include "http/readiness.h"
#include "http/router.h"
#include "inventory/access_service.h"
#include "inventory/audit_service.h"
#include "inventory/exception_service.h"
#include "inventory/inventory_service.h"
#include "inventory/team_service.h"

namespace warden::api {

void AddTeamRoutes(Router& router, inventory::TeamService& teams);
void AddIdentityRoutes(Router& router, inventory::InventoryService& inventory);
void AddExceptionRoutes(Router& router,
                        inventory::ExceptionService& exceptions);
// GET /v1/approvals (the inbox: ?state=&mine=true&kind=&release=&tenant=
// &identity=&requester=&limit=&after=), GET /v1/approvals/{id},
// POST /v1/approvals/{id}/approve|decline {"reason"}.
void AddApprovalRoutes(Router& router, approvals::ApprovalEngine& engine);
void AddAccessRoutes(Router& router, inventory::AccessService& access);
void AddAuditRoutes(Router& router, inventory::AuditService& audit);
// /healthz (liveness: the process answers), /readyz (`readiness`'s checks;
// 503 problem+json "not-ready" when one fails) and /metrics: public.
void AddOperationsRoutes(Router& router, ReadinessProbe readiness,
                         Metrics& metrics);

}  // namespace warden::api

#endif  // WARDEN_API_API_ROUTES_H_
