// The JSON form of observations: what `warden scan` prints with -o json and
// posts to POST /v1/observations, and what the server parses back. One
// object per observation: {"kind", "source", "key", "name", "location",
// "attributes": {string: string}}.
#ifndef WARDEN_DISCOVERY_OBSERVATION_JSON_H_
#define WARDEN_DISCOVERY_OBSERVATION_JSON_H_

#include <boost/json/value.hpp>
#include <cstddef>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "discovery/observation.h"

namespace warden::discovery {

// Limits on one observation from an untrusted client: enough for a
// certificate's subject and SANs, small enough that a batch of
// kMaxObservationsPerBatch stays within the request body limit.
inline constexpr size_t kMaxObservationFieldBytes = 1024;
inline constexpr size_t kMaxObservationAttributes = 32;
inline constexpr size_t kMaxObservationsPerBatch = 1000;

boost::json::object ObservationToJson(const Observation& observation);
boost::json::object ScanIssueToJson(const ScanIssue& issue);

// Parses one observation; errors name `path` (e.g. "observations[3]").
Result<Observation> ObservationFromJson(const boost::json::value& value,
                                        std::string_view path);

// Parses {"observations": [...]} with at most kMaxObservationsPerBatch.
Result<std::vector<Observation>> ObservationBatchFromJson(
    const boost::json::value& body);

}  // namespace warden::discovery

#endif  // WARDEN_DISCOVERY_OBSERVATION_JSON_H_
