// JSON forms of the release-exposure model, both directions: the wire form
// of the /v1 API and the stored form of a flag's definition are the same
// object, so one strict codec serves both (private to service/ and http/).
//
// Flag JSON (writable fields):
//   {"key", "type", "state": "enabled"|"disabled",
//    "variants": {name: value, ...}, "default_variant": name|null,
//    "off_variant": name|null,
//    "rules": [{"conditions": [{"attribute", "op", "value"}], "variant"}],
//    "rollout": [{"variant", "weight"}], "targeting": JsonLogic|null,
//    "bucketing", "owner_team", "release", "description",
//    "metadata": {free-form}, "stale_after_days"}
// Conditions use the operator names of eval::ConditionOpName.
//
// Parsing is strict: unknown fields ("unknown-field"), wrong JSON types
// ("wrong-type"), missing required fields ("missing-field") and values
// outside a vocabulary ("invalid-value") are kInvalidArgument naming the
// field path, e.g. "rules[0].conditions[1].op". Semantic checks (variants
// of the right type, rules naming variants) belong to eval::SnapshotBuilder.
// Pure functions; thread-safe.
#ifndef WARDEN_WIRE_EXPOSURE_JSON_H_
#define WARDEN_WIRE_EXPOSURE_JSON_H_

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "eval/exposure_limit.h"
#include "eval/flag.h"
#include "eval/tenant.h"

namespace warden::wire {

// Days without change or evaluation after which a flag is stale.
inline constexpr int kDefaultStaleAfterDays = 30;
inline constexpr int kMaxStaleAfterDays = 3650;

// A flag as written by its author: the evaluator's model plus lifecycle
// settings.
struct FlagSpec {
  eval::Flag flag;
  int stale_after_days = kDefaultStaleAfterDays;
};

Result<FlagSpec> FlagSpecFromJson(const boost::json::object& json);
boost::json::object FlagSpecToJson(const FlagSpec& spec);

// Native conditions: [{"attribute", "op", "value"}].
Result<std::vector<eval::Condition>> ConditionsFromJson(
    const boost::json::value& json, std::string_view path);
boost::json::array ConditionsToJson(
    const std::vector<eval::Condition>& conditions);

// A JSON array of strings of at most `max_items` entries.
Result<std::vector<std::string>> StringListFromJson(
    const boost::json::value& json, std::string_view path, size_t max_items);
boost::json::array StringListToJson(const std::vector<std::string>& items);

// Parses `text` as a JSON object (stored text or a request body);
// kInvalidArgument "malformed-json" otherwise. Never throws.
Result<boost::json::object> ParseObject(std::string_view text,
                                        std::string_view what);

// Top-level merge (RFC 7396 restricted to the first level): every key of
// `patch` replaces the same key of `base`; null values remove it.
boost::json::object MergeTopLevel(boost::json::object base,
                                  const boost::json::object& patch);

}  // namespace warden::wire

#endif  // WARDEN_WIRE_EXPOSURE_JSON_H_
