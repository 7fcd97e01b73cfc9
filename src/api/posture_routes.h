// Routes of posture: findings and their rules, summary and
// acknowledgement; the posture policy and sweeps; maturity; access
// reviews. And of discovery: scans, observations, drift and draft import.
#ifndef WARDEN_API_POSTURE_ROUTES_H_
#define WARDEN_API_POSTURE_ROUTES_H_

#include "discovery/drift_service.h"
#include "discovery/scan_schedule.h"
#include "http/router.h"
#include "posture/finding_service.h"
#include "posture/maturity_service.h"
#include "posture/review_service.h"

namespace warden::api {

struct PostureServices {
  posture::FindingService& findings;
  posture::MaturityService& maturity;
  posture::ReviewService& reviews;
};

void AddPostureRoutes(Router& router, const PostureServices& services);
struct DiscoveryServices {
  discovery::DriftService& drift;
  discovery::ScanScheduler& schedule;
};

void AddDiscoveryRoutes(Router& router, const DiscoveryServices& services);

}  // namespace warden::api

#endif  // WARDEN_API_POSTURE_ROUTES_H_
