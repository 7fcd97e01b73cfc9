// OpenFeature Remote Evaluation Protocol (OFREP) 0.3.0 under /ofrep/v1:
//   POST /ofrep/v1/evaluate/flags/{key}  {"context": {...}}
//     200 {"key", "value", "reason", "variant", "metadata"}; a disabled
//         flag is 200 with reason DISABLED and no value (use the code
//         default); LIMITED carries metadata.limitId.
//     404 {"key", "errorCode": "FLAG_NOT_FOUND", "errorDetails"}
//     400 {"key", "errorCode": PARSE_ERROR | TARGETING_KEY_MISSING |
//          INVALID_CONTEXT | GENERAL, "errorDetails"}
//   POST /ofrep/v1/evaluate/flags        {"context": {...}}
//     200 {"flags": [success or error objects as above]} with an ETag;
//     If-None-Match with that ETag -> 304. With event streams on
//     (OfrepServices::event_tickets), the answer also carries
//     "eventStreams": [{"type": "sse", "url": "/ofrep/v1/events?ticket=..",
//     "inactivityDelaySec": 120}] (OFREP event-streams extension; see
//     ofrep_event_routes.h). The ETag covers the flags only, so two
//     identical answers share it although their tickets differ. The query
//     parameters sseEtag and sseLastModified (sent by providers re-fetching
//     after a refetchEvaluation event) are metadata: checked for size and
//     shape (400 GENERAL otherwise), then ignored; If-None-Match stays the
//     conditional mechanism.
//     400 {"errorCode", "errorDetails"} for a bad request body.
// 401/403 are problem+json (no OFREP body is defined for them), and so is
// the 429 (with Retry-After) of a source whose failed authentications are
// over their budget (AuthFailureThrottle).
// 429 with Retry-After (seconds) when the token's evaluation rate limit is
// exhausted (OfrepServices::limiter; none configured means no limit).
//
// Tenant isolation: a tenant-bound sdk token evaluates with targetingKey =
// its tenant, whatever the context claims.
//
// The routes are RouteCost::kInlineFirst: they read the lock-free
// ConfigFeed and evaluate on the I/O thread; authentication comes from
// OfrepAuthenticator's cache, and a cache miss (a store read and an audit
// write) moves the request to the worker pool. Every evaluated key is
// handed to EvaluationRecorder (batched last-evaluated bookkeeping for
// stale flags).
#ifndef WARDEN_API_OFREP_ROUTES_H_
#define WARDEN_API_OFREP_ROUTES_H_

#include "api/ofrep_authenticator.h"
#include "api/ofrep_event_ticket.h"
#include "core/clock.h"
#include "exposure/config_feed.h"
#include "exposure/evaluation_recorder.h"
#include "http/router.h"
#include "service/keyed_rate_limiter.h"

namespace warden::api {

// An OFREP request body is one evaluation context; 64 KiB is far above any
// real context and keeps the inline (I/O thread) parse cheap.
inline constexpr size_t kMaxOfrepBodyBytes = 64 * 1024;

struct OfrepServices {
  exposure::ConfigFeed& feed;
  OfrepAuthenticator& authenticator;
  exposure::EvaluationRecorder& evaluations;
  const Clock& clock;
  // Per API token; null: evaluations are not rate limited.
  KeyedRateLimiter* limiter = nullptr;
  // Mints the tickets of the eventStreams URL; null: no eventStreams.
  const OfrepEventTicketSigner* event_tickets = nullptr;
  std::chrono::seconds event_ticket_ttl = kOfrepEventTicketTtl;
};

// How long a provider may keep the event stream open while its page is
// inactive before disconnecting (eventStreams[].inactivityDelaySec).
inline constexpr std::chrono::seconds kOfrepInactivityDelay{120};
// Longest sseEtag / sseLastModified query value accepted (an ETag here is
// 34 characters; a unix time 10 digits).
inline constexpr size_t kMaxSseQueryValueBytes = 128;

void AddOfrepRoutes(Router& router, const OfrepServices& services);

}  // namespace warden::api

#endif  // WARDEN_API_OFREP_ROUTES_H_
