// The wire form of a release gate (eval/release_gate.h), shipped in the
// "gates" section of an environment's configuration:
//   {"release", "stage", "flags": [...], "everyone", "tenants": [...],
//    "segments": [...], "percentage", "cleared_flags": [...],
//    "cleared_tenants": [...], "pending_approvals": {tenant: approval id},
//    "opt_ins": {flag: [tenants]}}
// Pure functions; thread-safe.
#ifndef WARDEN_WIRE_RELEASE_GATE_JSON_H_
#define WARDEN_WIRE_RELEASE_GATE_JSON_H_

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string_view>

#include "core/status.h"
#include "eval/release_gate.h"

namespace warden::wire {

// Lists (and map sizes) beyond this many entries are refused.
inline constexpr size_t kMaxGateListItems = 1'000'000;

boost::json::object GateToJson(const eval::ReleaseGate& gate);
// kInvalidArgument naming `path` and the offending member.
Result<eval::ReleaseGate> GateFromJson(const boost::json::value& json,
                                       std::string_view path);

}  // namespace warden::wire

#endif  // WARDEN_WIRE_RELEASE_GATE_JSON_H_
