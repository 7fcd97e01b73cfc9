// Parses the --listen address: "HOST:PORT" with HOST an IPv4 address,
// "localhost", or a bracketed IPv6 address ("[::1]:8080"). Port 0 asks the
// kernel for a free port.
#ifndef WARDEN_HTTP_LISTEN_ADDRESS_H_
#define WARDEN_HTTP_LISTEN_ADDRESS_H_

#include <boost/asio/ip/tcp.hpp>
#include <string_view>

#include "core/status.h"

namespace warden {

// kInvalidArgument naming the address and what is wrong with it.
Result<boost::asio::ip::tcp::endpoint> ParseListenAddress(
    std::string_view text);

}  // namespace warden

#endif  // WARDEN_HTTP_LISTEN_ADDRESS_H_
