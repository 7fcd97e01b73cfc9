// ReplicaChanges: applies the commits of other replicas sharing this
// process's PostgreSQL store to what the process keeps in memory. The
// store's change follower hands it each batch of ChangeKeys
// (store/change_feed.h) on its own thread, after publishing them to the
// ChangeFeed (which already drops cached authentication decisions):
//
//   exposure/<section>[/<env>], setting/<flag-set keys>
//       -> ExposurePublisher::Publish of the sections named, so the
//          configuration streams and OFREP answers of this replica follow;
//   oauth/revocation -> TokenRevocation::Refresh (revoked tokens refused
//          here too); exposure/limits also -> TokenLimits::Reload (no token
//          issued here for a limited tenant); oauth/signing_keys ->
//          OAuthSigningKeys::Refresh (tokens another replica signs after
//          its rotation verify here);
//   setting/access_policy/<env> -> AccessDecisionPoint::Reload(env) (the
//          access policy another replica activated decides here too);
//   api_token/..., user/... -> `credentials_changed` (the OFREP token cache
//          dropped and open streams closed, so a revoked token stops
//          evaluating here too);
//   *    -> everything above.
//
// Thread safety: Attach/Detach from the owner, Apply from the follower's
// thread; Apply after Detach does nothing.
#ifndef WARDEN_SERVER_REPLICA_CHANGES_H_
#define WARDEN_SERVER_REPLICA_CHANGES_H_

#include <functional>
#include <span>
#include <string>

#include "access/access_decision_point.h"
#include "core/mutex.h"
#include "core/thread_annotations.h"
#include "exposure/exposure_publisher.h"
#include "oauth/authorization_server.h"

namespace warden::server {

class ReplicaChanges {
 public:
  // Borrowed until Detach(); `oauth` and `access` may be null,
  // `credentials_changed` empty.
  void Attach(exposure::ExposurePublisher* publisher,
              oauth::AuthorizationServer* oauth,
              access::AccessDecisionPoint* access,
              std::function<void()> credentials_changed) WARDEN_EXCLUDES(mu_);
  void Detach() WARDEN_EXCLUDES(mu_);

  void Apply(std::span<const std::string> keys) WARDEN_EXCLUDES(mu_);

 private:
  Mutex mu_;
  exposure::ExposurePublisher* publisher_ WARDEN_GUARDED_BY(mu_) = nullptr;
  oauth::AuthorizationServer* oauth_ WARDEN_GUARDED_BY(mu_) = nullptr;
  access::AccessDecisionPoint* access_ WARDEN_GUARDED_BY(mu_) = nullptr;
  std::function<void()> credentials_changed_ WARDEN_GUARDED_BY(mu_);
};

}  // namespace warden::server

#endif  // WARDEN_SERVER_REPLICA_CHANGES_H_
