// The checks behind GET /readyz (http/readiness.h), in this order:
//
//   store         the last commit succeeded (Store::Healthy) and a cheap
//                 read answers (one settings row by key)
//   signing_keys  the OAuth server has started with a current signing key
//                 that is still stored (a replica that missed a rotation
//                 long enough for its key to be pruned signs tokens no
//                 other replica verifies), became current no longer than
//                 kOverdueRotationFactor rotation periods ago (rotation
//                 keeps failing)
//   snapshot      every environment's published configuration holds what
//                 the store held at its last publish
//                 (ExposurePublisher::State): a change committed but not
//                 published because its publish failed fails the check
//                 until a publish succeeds (the server's sweep retries
//                 every minute). Replicas on PostgreSQL publish other
//                 replicas' changes when their change follower reads them
//                 (within its poll interval, 2 s): see `changes`.
//   changes       (PostgreSQL only) the change follower read the shared
//                 change log to its end within kMaxChangeFollowerSilence:
//                 a replica that stopped seeing other replicas' commits
//                 would serve stale configuration, caches and revocations.
//
// /healthz stays liveness only: a process that answers is alive, even when
// not ready.
//
// Thread-safety: CheckReadiness may be called from any thread; the sources
// are borrowed and must outlive every call.
#ifndef WARDEN_SERVER_READINESS_H_
#define WARDEN_SERVER_READINESS_H_

#include <chrono>
#include <memory>
#include <vector>

#include "core/clock.h"
#include "exposure/exposure_publisher.h"
#include "http/readiness.h"
#include "oauth/authorization_server.h"
#include "store/change_follower_health.h"
#include "store/store.h"

namespace warden::server {

// A current key older than this many rotation periods is overdue enough
// to take the replica out of service (one period late is a missed sweep or
// two; two is a rotation that keeps failing).
inline constexpr int kOverdueRotationFactor = 2;

// Five of the follower's 2 s polls: a reconnect with backoff fits, a
// follower that cannot read the log does not.
inline constexpr std::chrono::seconds kMaxChangeFollowerSilence{10};

struct ReadinessSources {
  Store& store;
  // Null until the OAuth server has started.
  const std::unique_ptr<oauth::AuthorizationServer>& oauth;
  const exposure::ExposurePublisher& publisher;
  const Clock& clock;
  // Null for a store no other replica writes (SQLite): no `changes` check.
  const ChangeFollowerHealth* follower = nullptr;
};

std::vector<HealthCheck> CheckReadiness(const ReadinessSources& sources);

// The `changes` check alone.
HealthCheck CheckChanges(const ChangeFollowerHealth& follower,
                         const Clock& clock);

}  // namespace warden::server

#endif  // WARDEN_SERVER_READINESS_H_
