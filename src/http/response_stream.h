// ResponseStream: a response that does not end (Server-Sent Events). A
// handler returns an ApiResponse whose `stream` is set; HttpSession then
// hands its connection over with the serialised status line and headers, and
// the stream owns the socket from there on (it writes the header itself, so
// the two never interleave).
//
// Thread-safety: Start() is called once, on the connection's strand.
#ifndef WARDEN_HTTP_RESPONSE_STREAM_H_
#define WARDEN_HTTP_RESPONSE_STREAM_H_

#include <boost/beast/core/tcp_stream.hpp>
#include <string>

#include "http/connection_limit.h"

namespace warden {

class ResponseStream {
 public:
  virtual ~ResponseStream() = default;
  // `header`: "HTTP/1.1 200 OK\r\n...\r\n\r\n", to be written first.
  // `slot`: the connection's place under the server's connection cap, to
  // be held for as long as the socket is open.
  virtual void Start(boost::beast::tcp_stream stream, std::string header,
                     ConnectionLimit::Slot slot) = 0;
  // Ends the stream from outside (shutdown, StreamRegistry::CloseAll); safe
  // from any thread and more than once.
  virtual void Close() = 0;
};

}  // namespace warden

#endif  // WARDEN_HTTP_RESPONSE_STREAM_H_
