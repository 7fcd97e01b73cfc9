// The /v1 routes of release exposure (exposure_routes.cc):
//   GET  /v1/environments
//   GET|POST /v1/flags?environment=        (stale=true lists stale flags)
//   GET|PUT|PATCH|DELETE /v1/flags/{environment}/{key}  (DELETE archives)
//   POST /v1/flags/import?environment=     (flagd JSON; all-or-nothing;
//                                           strict=true refuses warnings)
//   GET  /v1/flags/export?environment=     (flagd JSON)
//   GET|POST /v1/tenants, GET|PATCH /v1/tenants/{key}
//   GET  /v1/tenants/{key}/exposure?environment=&after=&limit=
//                                          (every flag for the tenant, why)
//   GET|POST /v1/segments, GET|PATCH /v1/segments/{key} (?tenants=true),
//   POST /v1/segments/{key}/tenants        ({"tenants": [...]})
//   GET|POST /v1/limits (?status=active|all), GET /v1/limits/{id},
//   POST /v1/limits/preview                (POST /v1/limits' body; dry run)
//   POST /v1/limits/{id}/lift              ({"reason"})
// Services are borrowed and must outlive the router.
#ifndef WARDEN_API_EXPOSURE_ROUTES_H_
#define WARDEN_API_EXPOSURE_ROUTES_H_

#include "exposure/config_feed.h"
#include "exposure/flag_service.h"
#include "exposure/limit_service.h"
#include "exposure/segment_service.h"
#include "exposure/tenant_service.h"
#include "http/router.h"
#include "service/auditor.h"

namespace warden::api {

struct ExposureServices {
  exposure::ConfigFeed& feed;
  exposure::FlagService& flags;
  exposure::TenantService& tenants;
  exposure::SegmentService& segments;
  exposure::LimitService& limits;
  Auditor& auditor;  // GET /v1/environments, which reads no service
};

void AddExposureRoutes(Router& router, const ExposureServices& services);

}  // namespace warden::api

#endif  // WARDEN_API_EXPOSURE_ROUTES_H_
