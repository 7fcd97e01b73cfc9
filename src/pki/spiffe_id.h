// SPIFFE IDs (SPIFFE ID specification, "The SPIFFE Identity and Verifiable
// Identity Document", section 2): spiffe://TRUST_DOMAIN/PATH.
//
// Rules enforced: scheme exactly "spiffe"; a non-empty trust domain of
// [a-z0-9.-_] (no upper case, no port, no userinfo); a path of one or more
// segments of [A-Za-z0-9.-_], none empty, "." or ".."; no trailing slash,
// query or fragment; at most kMaxSpiffeIdLength bytes. A workload identity
// always has a path, so a bare trust domain is refused here.
//
// Pure functions; thread-safe.
#ifndef WARDEN_PKI_SPIFFE_ID_H_
#define WARDEN_PKI_SPIFFE_ID_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace warden::pki {

// The specification's bound on the whole URI.
inline constexpr size_t kMaxSpiffeIdLength = 2048;

struct SpiffeId {
  std::string trust_domain;
  std::string path;  // starts with '/'
  std::string ToString() const { return "spiffe://" + trust_domain + path; }
};

// kInvalidArgument (problem "invalid-spiffe-id") naming the broken rule.
Result<SpiffeId> ParseSpiffeId(std::string_view text);

// The SPIFFE ID Warden gives a workload identity:
// spiffe://TRUST_DOMAIN/ns/ENVIRONMENT/sa/NAME (Kubernetes' shape, so the
// IDs read alike wherever workloads run). Not validated: ParseSpiffeId
// checks it where one is issued.
std::string WorkloadSpiffeId(std::string_view trust_domain,
                             std::string_view environment,
                             std::string_view name);

// The environment and name of a WorkloadSpiffeId of `trust_domain`, or
// nullopt for any other text. Views into `id`.
struct WorkloadName {
  std::string_view environment;
  std::string_view name;
};
std::optional<WorkloadName> ParseWorkloadSpiffeId(
    std::string_view id, std::string_view trust_domain);

// kInvalidArgument unless `domain` is a valid trust domain name.
Status ValidateTrustDomain(std::string_view domain);

}  // namespace warden::pki

#endif  // WARDEN_PKI_SPIFFE_ID_H_
