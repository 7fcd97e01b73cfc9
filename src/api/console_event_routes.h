// GET /v1/events?environment=ENV: what the web console listens to so that a
// change made elsewhere (a kill switch, a flag, a tenant, an activation)
// shows without a reload. Unlike GET /v1/stream (the SDKs' configuration,
// for sdk and admin tokens), it carries no configuration: one small notice
// per published revision of the environment, for any role that may read
// flags, authenticated like every /v1 route (a console session's cookie,
// which EventSource sends, or a bearer token):
//
//   id: RUN-8
//   event: change
//   data: {"environment":"production","revision":8,
//          "change":{"kind":"limit.set","id":"..."}}
//
// "change" is what the publisher recorded for that revision (null when it
// recorded nothing). Last-Event-ID resumes: one notice at once when the
// environment moved on since (the page re-reads whatever it shows), none
// otherwise. The open is audited.
#ifndef WARDEN_API_CONSOLE_EVENT_ROUTES_H_
#define WARDEN_API_CONSOLE_EVENT_ROUTES_H_

#include "exposure/config_feed.h"
#include "http/router.h"
#include "http/stream_registry.h"
#include "service/auditor.h"

namespace warden::api {

struct ConsoleEventServices {
  exposure::ConfigFeed& feed;
  StreamRegistry& registry;
  Store& store;
  Auditor& auditor;
};

void AddConsoleEventRoutes(Router& router,
                           const ConsoleEventServices& services);

}  // namespace warden::api

#endif  // WARDEN_API_CONSOLE_EVENT_ROUTES_H_
