#include "service/usage_source.h"

#include <arpa/inet.h>

#include <charconv>
#include <chrono>
#include <cstring>

namespace warden {
namespace {

// The address part of "ip:port", "[v6]:port" or a bare address.
std::string HostOf(std::string_view remote) {
  if (!remote.empty() && remote.front() == '[') {
    const size_t close = remote.find(']');
    if (close == std::string_view::npos) return {};
    return std::string(remote.substr(1, close - 1));
  }
  const size_t colon = remote.find(':');
  if (colon != std::string_view::npos &&
      remote.find(':', colon + 1) == std::string_view::npos) {
    return std::string(remote.substr(0, colon));  // IPv4 with port
  }
  return std::string(remote);  // bare IPv4 or IPv6
}

// Parses an IPv4 or IPv6 address into `bytes`; returns its length (4, 16)
// or 0.
int ParseAddress(const std::string& host, unsigned char* bytes) {
  if (inet_pton(AF_INET, host.c_str(), bytes) == 1) return 4;
  if (inet_pton(AF_INET6, host.c_str(), bytes) == 1) return 16;
  return 0;
}

void MaskTo(unsigned char* bytes, int length, int prefix) {
  for (int i = 0; i < length; ++i) {
    const int keep = std::min(8, std::max(0, prefix - 8 * i));
    bytes[i] &= static_cast<unsigned char>(0xFF00 >> keep);
  }
}

std::string Format(const unsigned char* bytes, int length, int prefix) {
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(length == 4 ? AF_INET : AF_INET6, bytes, text, sizeof(text));
  return std::string(text) + "/" + std::to_string(prefix);
}

}  // namespace

std::string SourceNetworkOf(std::string_view remote) {
  unsigned char bytes[16] = {};
  const int length = ParseAddress(HostOf(remote), bytes);
  if (length == 0) return {};
  const int prefix = length == 4 ? 24 : 64;
  MaskTo(bytes, length, prefix);
  return Format(bytes, length, prefix);
}

std::optional<Cidr> ParseCidr(std::string_view text) {
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  Cidr cidr;
  cidr.length = ParseAddress(std::string(text.substr(0, slash)), cidr.bytes);
  if (cidr.length == 0) return std::nullopt;
  std::string_view bits = text.substr(slash + 1);
  auto [end, error] =
      std::from_chars(bits.data(), bits.data() + bits.size(), cidr.prefix);
  if (error != std::errc() || end != bits.data() + bits.size() ||
      cidr.prefix < 0 || cidr.prefix > cidr.length * 8) {
    return std::nullopt;
  }
  MaskTo(cidr.bytes, cidr.length, cidr.prefix);
  return cidr;
}

bool CidrContains(const Cidr& cidr, std::string_view network) {
  const size_t slash = network.find('/');
  unsigned char bytes[16] = {};
  const int length = ParseAddress(std::string(network.substr(0, slash)), bytes);
  if (length != cidr.length) return false;
  MaskTo(bytes, length, cidr.prefix);
  return std::memcmp(bytes, cidr.bytes, length) == 0;
}

UseTime UseTimeOf(Timestamp at) {
  using namespace std::chrono;
  const sys_days day = floor<days>(at);
  const auto since_midnight = at - day;
  return {static_cast<int>(duration_cast<hours>(since_midnight).count()),
          static_cast<int>(weekday(day).c_encoding())};
}

}  // namespace warden
