// Where and when a credential was used, reduced to what posture needs:
// the source network (IPv4 /24, IPv6 /64: one office, one subnet of
// workloads) and the UTC hour and weekday. The recorder stores these; the
// posture rules compare them with the user networks and office hours a
// security team declares.
#ifndef WARDEN_SERVICE_USAGE_SOURCE_H_
#define WARDEN_SERVICE_USAGE_SOURCE_H_

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace warden {

// "203.0.113.7:443" -> "203.0.113.0/24"; "[2001:db8::1]:443" ->
// "2001:db8::/64". Empty for an address that does not parse.
std::string SourceNetworkOf(std::string_view remote);

// An IPv4 or IPv6 prefix, e.g. "10.20.0.0/16".
struct Cidr {
  unsigned char bytes[16] = {};
  int length = 0;  // address length in bytes: 4 or 16
  int prefix = 0;  // bits
};

// nullopt when `text` is not "address/prefix" with a valid prefix.
std::optional<Cidr> ParseCidr(std::string_view text);

// True when `network` (a SourceNetworkOf result or a bare address) lies
// inside `cidr`.
bool CidrContains(const Cidr& cidr, std::string_view network);

struct UseTime {
  int hour = 0;     // 0..23, UTC
  int weekday = 0;  // 0 = Sunday .. 6 = Saturday
};

UseTime UseTimeOf(Timestamp at);

}  // namespace warden

#endif  // WARDEN_SERVICE_USAGE_SOURCE_H_
