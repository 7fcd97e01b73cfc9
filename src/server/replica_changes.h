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
//   *    -> everything above.
//
// Thread safety: Attach/Detach from the owner, Apply from the follower's
// thread; Apply after Detach does nothing.
#ifndef WARDEN_SERVER_REPLICA_CHANGES_H_
#define WARDEN_SERVER_REPLICA_CHANGES_H_

#include <span>
#include <string>

#include "core/mutex.h"
#include "core/thread_annotations.h"
#include "exposure/exposure_publisher.h"
#include "oauth/authorization_server.h"

namespace warden::server {

class ReplicaChanges {
 public:
  // Both borrowed until Detach(); `oauth` may be null.
  void Attach(exposure::ExposurePublisher* publisher,
              oauth::AuthorizationServer* oauth) WARDEN_EXCLUDES(mu_);
  void Detach() WARDEN_EXCLUDES(mu_);

  void Apply(std::span<const std::string> keys) WARDEN_EXCLUDES(mu_);

 private:
  Mutex mu_;
  exposure::ExposurePublisher* publisher_ WARDEN_GUARDED_BY(mu_) = nullptr;
  oauth::AuthorizationServer* oauth_ WARDEN_GUARDED_BY(mu_) = nullptr;
};

}  // namespace warden::server

#endif  // WARDEN_SERVER_REPLICA_CHANGES_H_
