// RequestFacts: Warden's facts about one access request (policy/
// fact_source.h), gathered by FactGatherer before the decision so that the
// decision itself reads memory only:
//   subject.identity.*  the identity a "workload" subject names (by id or
//                       SPIFFE ID): id, name, kind, owner, application,
//                       environment, risk_tier, status, spiffe_id, scopes,
//                       scopes_used, tenant, vendor, auth_method
//   caller.*            type ("workload" | "token"), id, role, identity
//                       (as above, for a workload caller)
//   tenant.*            key, registered, account_manager, integrations,
//                       attributes, limited, limit
//   now.*               unix (seconds), time (RFC 3339), hour, weekday
//                       (0 = Sunday), all UTC
// flag_on evaluates the flag in the environment's published exposure
// snapshot for the tenant, with the integration; on means a boolean flag
// serving true, or another flag serving a variant that is not an
// exposure-off state (disabled, limited, gated, staged, error).
// The built-in denial: the subject's identity is not active
// ("identity-inactive"), or an exposure limit on every flag holds on the
// tenant or integration ("limit", eval::Snapshot::LimitOnEverything).
//
// One object per request; not shared between threads.
#ifndef WARDEN_ACCESS_REQUEST_FACTS_H_
#define WARDEN_ACCESS_REQUEST_FACTS_H_

#include <boost/json/object.hpp>
#include <memory>
#include <string>

#include "eval/evaluation.h"
#include "eval/snapshot.h"
#include "policy/fact_source.h"

namespace warden::access {

class RequestFacts : public policy::FactSource {
 public:
  policy::AttributeValue Lookup(
      policy::FactRoot root, std::span<const std::string> path) const override;
  bool FlagOn(std::string_view flag_key) const override;
  bool Denial(policy::BuiltInDenial* out) const override;

  // Filled by FactGatherer.
  std::shared_ptr<const boost::json::object> subject_identity;  // or null
  // Shared by every evaluation of one call (FactGatherer::CallFacts).
  std::shared_ptr<const boost::json::object> caller;
  std::shared_ptr<const boost::json::object> now;
  boost::json::object tenant;
  std::shared_ptr<const eval::Snapshot> exposure;  // or null
  eval::EvaluationContext flag_context;  // the tenant and the integration
  std::string denial_code;               // empty: none
  std::string denial_detail;
};

}  // namespace warden::access

#endif  // WARDEN_ACCESS_REQUEST_FACTS_H_
