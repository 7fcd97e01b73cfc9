// FactSource: what Warden itself knows about an access request, beyond what
// the caller sent. A policy reads these under reserved attribute roots:
//   subject.identity.*  the Warden identity the subject names (a workload:
//                       SPIFFE ID, environment, owner team, risk tier,
//                       status, scopes granted and used)
//   caller.*            the authenticated caller (the enforcement point)
//   tenant.*            the tenant the request is tied to and its exposure
//   now.*               the decision time
// and through two operations: flag_on (a flag is on for the request's
// tenant, as the exposure engine evaluates it: limits, gates and stages
// included) and the built-in denial checked before any rule (an exposure
// limit holding on the request's tenant or integration, an identity that
// is not active). The server implements it over its stores and the
// published exposure snapshot; `warden policy test` over the facts a case
// file states; both answer the same paths.
//
// Lookups happen on the decision path: implementations must not block on
// I/O there (gather what may be needed before deciding).
#ifndef WARDEN_POLICY_FACT_SOURCE_H_
#define WARDEN_POLICY_FACT_SOURCE_H_

#include <span>
#include <string>
#include <string_view>

#include "policy/attribute_value.h"

namespace warden::policy {

enum class FactRoot { kSubjectIdentity, kCaller, kTenant, kNow };

// Why a request is denied before any rule is read. Views into the source.
struct BuiltInDenial {
  std::string_view code;    // "limit", "identity-inactive"
  std::string_view detail;  // the limit's id, the identity's status
};

class FactSource {
 public:
  virtual ~FactSource() = default;
  // The value at `path` under `root` (an empty path: the root itself).
  virtual AttributeValue Lookup(FactRoot root,
                                std::span<const std::string> path) const = 0;
  // True when `flag_key` is on for the request's tenant.
  virtual bool FlagOn(std::string_view flag_key) const = 0;
  // A denial that no policy may override, or false.
  virtual bool Denial(BuiltInDenial* out) const = 0;
};

// Knows nothing: every fact missing, every flag off, no denial.
class NoFacts : public FactSource {
 public:
  AttributeValue Lookup(FactRoot, std::span<const std::string>) const override {
    return AttributeValue::Missing();
  }
  bool FlagOn(std::string_view) const override { return false; }
  bool Denial(BuiltInDenial*) const override { return false; }
};

}  // namespace warden::policy

#endif  // WARDEN_POLICY_FACT_SOURCE_H_
