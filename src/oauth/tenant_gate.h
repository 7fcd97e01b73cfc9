// OAuthTenantGate: decides whether a tenant-bound token may exist, from the
// published exposure configuration: every gating flag of the identity must
// be exposed to the tenant in the identity's environment, i.e. evaluate to
// a value that is not off (reason not LIMITED, DISABLED or ERROR, and not
// boolean false). An identity without gating flags is not gated.
//
// Thread-safety: Check() is lock-free (reads ConfigFeed::Current()).
#ifndef WARDEN_OAUTH_TENANT_GATE_H_
#define WARDEN_OAUTH_TENANT_GATE_H_

#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "exposure/config_feed.h"

namespace warden::oauth {

class OAuthTenantGate {
 public:
  explicit OAuthTenantGate(const exposure::ConfigFeed& feed) : feed_(feed) {}

  // OK when exposed; kFailedPrecondition ("tenant-not-exposed") naming the
  // first flag that is not, with its reason.
  Status Check(Environment environment, const std::vector<std::string>& flags,
               std::string_view tenant, Timestamp now) const;

 private:
  const exposure::ConfigFeed& feed_;
};

}  // namespace warden::oauth

#endif  // WARDEN_OAUTH_TENANT_GATE_H_
