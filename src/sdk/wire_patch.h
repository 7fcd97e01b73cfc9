// Applies a "change" event of GET /v1/stream (see src/api/sse_stream.h) to
// the configuration a client holds:
//   {"revision": 8, "base": 7, "change": {...} | null,
//    "patch": {"limits": [...]}}
// Each member of "patch" replaces the top-level wire section of that name
// whole; "revision" becomes the event's. A patch applies only on top of its
// base: any other held revision is kFailedPrecondition, and the client must
// resync (reconnect without Last-Event-ID to receive a full "config").
// Malformed events are kInvalidArgument. Never throws.
// Pure functions; thread-safe on distinct objects.
#ifndef WARDEN_SDK_WIRE_PATCH_H_
#define WARDEN_SDK_WIRE_PATCH_H_

#include <boost/json/object.hpp>

#include "core/status.h"

namespace warden::sdk {

// `wire`: the held configuration; its "revision" is the held revision.
// On error `wire` is unchanged.
Status ApplyWirePatch(const boost::json::object& event,
                      boost::json::object& wire);

}  // namespace warden::sdk

#endif  // WARDEN_SDK_WIRE_PATCH_H_
