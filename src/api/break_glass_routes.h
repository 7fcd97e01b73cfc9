// Break-glass routes under /v1/break-glass: emergency secret read,
// time-boxed identity re-activation, the report and its review.
#ifndef WARDEN_API_BREAK_GLASS_ROUTES_H_
#define WARDEN_API_BREAK_GLASS_ROUTES_H_

#include "custody/break_glass_service.h"
#include "http/router.h"

namespace warden::api {

void AddBreakGlassRoutes(Router& router,
                         custody::BreakGlassService& break_glass);

}  // namespace warden::api

#endif  // WARDEN_API_BREAK_GLASS_ROUTES_H_
