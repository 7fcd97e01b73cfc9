// GET /ofrep/v1/events: the OFREP eventStreams extension's SSE endpoint
// (OFREP 0.3.0 event-streams.yaml). The URL handed out in the bulk
// evaluation's "eventStreams" carries a stream ticket
// (`?ticket=...`, ofrep_event_ticket.h), because browsers' EventSource
// cannot send headers; non-browser clients may instead present their API
// token by `X-API-Key` or `Authorization: Bearer`, as on every OFREP route.
//
// Ticket connect: the MAC (constant time) and expiry are checked, then the
// named API token must still be active (AccessService::AuthenticateTokenId:
// a revoked token's ticket is refused 401) and still bound to the ticket's
// environment and tenant; an `environment` query parameter naming another
// environment is 403. Every ticket open writes one audit record
// "ofrep.stream"; header opens are audited as OFREP access is
// (OfrepAuthenticator, once per cache fill). Failures: 401 problem+json
// (audited as authentication failures), 403, 503 when
// kMaxStreamConnections are open.
//
// Events: OfrepRefetchFormat (refetchEvaluation per published revision,
// Last-Event-ID resume). Streams are SseStreams in the shared
// StreamRegistry, so a credentials change closes them like /v1/stream.
//
// The ticket rides in the query string: the request target is only ever
// recorded without it (problem "instance", audit "route", metrics label).
#ifndef WARDEN_API_OFREP_EVENT_ROUTES_H_
#define WARDEN_API_OFREP_EVENT_ROUTES_H_

#include <memory>

#include "api/ofrep_authenticator.h"
#include "api/ofrep_event_format.h"
#include "api/ofrep_event_ticket.h"
#include "core/clock.h"
#include "exposure/config_feed.h"
#include "http/router.h"
#include "http/stream_registry.h"
#include "inventory/access_service.h"
#include "service/auditor.h"

namespace warden::api {

inline constexpr char kOfrepEventsPath[] = "/ofrep/v1/events";

struct OfrepEventServices {
  exposure::ConfigFeed& feed;
  OfrepAuthenticator& authenticator;  // header credentials
  inventory::AccessService& access;   // ticket: is its token still active
  Store& store;                       // audit of ticket opens
  Auditor& auditor;
  StreamRegistry& registry;
  const OfrepEventTicketSigner& tickets;
  const Clock& clock;
};

void AddOfrepEventRoutes(Router& router, const OfrepEventServices& services);

}  // namespace warden::api

#endif  // WARDEN_API_OFREP_EVENT_ROUTES_H_
