// The /v1 route table, one function per area. Each handler is
// parse -> one service call -> JSON; errors come back as Status and are
// mapped to problem+json by the pipeline. Services are borrowed and must
// outlive the router.
#ifndef WARDEN_HTTP_API_ROUTES_H_
#define WARDEN_HTTP_API_ROUTES_H_

#include <string_view>

#include "http/metrics.h"
#include "http/router.h"
#include "service/access_service.h"
#include "service/audit_service.h"
#include "service/exception_service.h"
#include "service/inventory_service.h"
#include "service/team_service.h"

namespace warden {

void AddTeamRoutes(Router& router, TeamService& teams);
void AddIdentityRoutes(Router& router, InventoryService& inventory);
void AddExceptionRoutes(Router& router, ExceptionService& exceptions);
void AddAccessRoutes(Router& router, AccessService& access);
void AddAuditRoutes(Router& router, AuditService& audit);
// /healthz, /readyz (store healthy), /metrics: public and inline.
void AddOperationsRoutes(Router& router, Store& store, Metrics& metrics);

// Shared by the handlers: the captured path parameter (always present when
// the route matched).
const std::string& PathParam(const ApiRequest& request, std::string_view name);

// An empty 204 response.
ApiResponse NoContent();

}  // namespace warden

#endif  // WARDEN_HTTP_API_ROUTES_H_
