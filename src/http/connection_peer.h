// Who is at the other end of a connection, as the transport learnt it:
// the TCP peer's address and, on a TLS connection whose client presented
// a verified certificate, that certificate.
#ifndef WARDEN_HTTP_CONNECTION_PEER_H_
#define WARDEN_HTTP_CONNECTION_PEER_H_

#include <memory>
#include <string>

#include "http/client_certificate.h"

namespace warden {

struct ConnectionPeer {
  std::string remote;  // "ip:port"; empty: read from the socket
  std::shared_ptr<const ClientCertificate> client_certificate;  // or null
};

}  // namespace warden

#endif  // WARDEN_HTTP_CONNECTION_PEER_H_
