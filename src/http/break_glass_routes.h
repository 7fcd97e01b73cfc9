// Break-glass routes under /v1/break-glass: emergency secret read,
// time-boxed identity re-activation, the report and its review.
#ifndef WARDEN_HTTP_BREAK_GLASS_ROUTES_H_
#define WARDEN_HTTP_BREAK_GLASS_ROUTES_H_

#include "http/router.h"
#include "service/break_glass_service.h"

namespace warden {

void AddBreakGlassRoutes(Router& router, BreakGlassService& break_glass);

}  // namespace warden

#endif  // WARDEN_HTTP_BREAK_GLASS_ROUTES_H_
