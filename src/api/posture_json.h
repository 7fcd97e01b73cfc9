// The JSON forms of posture and discovery: findings (the DESIGN contract:
// rule, severity, identity, owner, owasp, csf, evidence, state), the rule
// catalog, summaries, maturity, review campaigns and items, observations,
// scans and sweep reports.
#ifndef WARDEN_API_POSTURE_JSON_H_
#define WARDEN_API_POSTURE_JSON_H_

#include <boost/json/object.hpp>
#include <vector>

#include "discovery/drift_service.h"
#include "posture/finding_catalog.h"
#include "posture/finding_sweep.h"
#include "posture/maturity_service.h"
#include "posture/review_service.h"
#include "store/posture_records.h"

namespace warden::api {

boost::json::object ToJson(const FindingRecord& finding);
boost::json::object ToJson(const posture::RuleSpec& rule);
// {"total", "by_severity": {...}, "by_owasp": {...}, "by_owner": {...},
//  "by_rule": {...}, "by_state": {...}}.
boost::json::object SummaryJson(const std::vector<FindingCount>& counts);
boost::json::object ToJson(const posture::MaturityView& view);
boost::json::object ToJson(const posture::SweepReport& report);
boost::json::object ToJson(const posture::CampaignView& view);
boost::json::object ToJson(const ReviewCampaignRecord& campaign);
boost::json::object ToJson(const ReviewItemRecord& item);
boost::json::object ToJson(const ObservationRecord& observation);
boost::json::object ToJson(const ScanRunRecord& scan);
boost::json::object ToJson(const discovery::RecordResult& result);
boost::json::object ToJson(const discovery::DriftSummary& summary);

}  // namespace warden::api

#endif  // WARDEN_API_POSTURE_JSON_H_
