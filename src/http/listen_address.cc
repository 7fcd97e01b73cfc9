#include "http/listen_address.h"

#include <charconv>
#include <string>

namespace warden {
namespace {

Status Bad(std::string_view text, std::string_view why) {
  return InvalidArgument("listen address \"" +
                         std::string(text.substr(0, 128)) +
                         "\": " + std::string(why));
}

}  // namespace

Result<boost::asio::ip::tcp::endpoint> ParseListenAddress(
    std::string_view text) {
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    return Bad(text, "expected HOST:PORT, e.g. 127.0.0.1:8080");
  }
  std::string_view host = text.substr(0, colon);
  std::string_view port_text = text.substr(colon + 1);
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(),
                                   port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() ||
      end != port_text.data() + port_text.size() || port > 65535) {
    return Bad(text, "port must be a number from 0 to 65535");
  }
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host == "localhost") host = "127.0.0.1";
  if (host.empty()) return Bad(text, "missing host");
  boost::system::error_code addr_ec;
  auto address = boost::asio::ip::make_address(std::string(host), addr_ec);
  if (addr_ec) {
    return Bad(text, "host must be an IP address or localhost");
  }
  return boost::asio::ip::tcp::endpoint(address,
                                        static_cast<unsigned short>(port));
}

}  // namespace warden
