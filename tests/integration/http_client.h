// A small synchronous HTTP/1.1 client for the integration tests, on Beast.
// Keeps one connection alive across requests (reconnecting when the server
// closes it) and counts connections, so tests can assert keep-alive.
//
// Not thread-safe: one client per thread.
#ifndef WARDEN_TESTS_INTEGRATION_HTTP_CLIENT_H_
#define WARDEN_TESTS_INTEGRATION_HTTP_CLIENT_H_

#include <boost/json/value.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace warden::testing_http {

struct HttpReply {
  int status = 0;  // 0: transport failure (see `error`)
  std::string error;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  std::string header(const std::string& lower_name) const;
  std::string content_type() const { return header("content-type"); }
  // The body parsed as JSON (null when it is not JSON).
  boost::json::value json() const;
  // For problem bodies: the "type" member, else "".
  std::string problem_type() const;
};

class HttpClient {
 public:
  explicit HttpClient(uint16_t port);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // `token` empty: no Authorization header.
  HttpReply Send(std::string_view method, std::string_view target,
                 std::string_view token = {}, std::string_view body = {},
                 const std::vector<std::pair<std::string, std::string>>&
                     extra_headers = {});
  HttpReply Get(std::string_view target, std::string_view token = {}) {
    return Send("GET", target, token);
  }
  HttpReply Post(std::string_view target, std::string_view token,
                 const boost::json::value& body);

  // Writes raw bytes on a fresh connection and reads one response.
  HttpReply SendRaw(std::string_view bytes);

  int connections_opened() const { return connections_opened_; }

 private:
  struct Connection;
  std::unique_ptr<Connection> connection_;
  uint16_t port_;
  int connections_opened_ = 0;
};

}  // namespace warden::testing_http

#endif  // WARDEN_TESTS_INTEGRATION_HTTP_CLIENT_H_
