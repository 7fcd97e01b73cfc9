// Routes of release governance: releases, their stages, signals,
// readiness and runbook; reverse views; tenants' consents and changelogs.
#ifndef WARDEN_API_RELEASE_ROUTES_H_
#define WARDEN_API_RELEASE_ROUTES_H_

#include "http/router.h"
#include "releases/release_service.h"
#include "releases/stage_controller.h"
#include "releases/tenant_releases.h"

namespace warden::api {

struct ReleaseServices {
  releases::ReleaseService& releases;
  releases::StageController& stages;
  releases::TenantReleases& tenants;
};

void AddReleaseRoutes(Router& router, const ReleaseServices& services);

}  // namespace warden::api

#endif  // WARDEN_API_RELEASE_ROUTES_H_
