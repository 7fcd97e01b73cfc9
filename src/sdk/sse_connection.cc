// A minimal HTTP/1.1 (RFC 9112) GET and the Server-Sent Events stream
// format (WHATWG HTML, section 9.2.6).
#include "sdk/sse_connection.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <optional>

namespace warden::sdk {
namespace {

int ConnectTo(const HttpEndpoint& endpoint) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(endpoint.port);
  if (getaddrinfo(endpoint.host.c_str(), port.c_str(), &hints, &found) != 0) {
    return -1;
  }
  int fd = -1;
  for (addrinfo* ai = found; ai != nullptr && fd < 0; ai = ai->ai_next) {
    fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
                  ai->ai_protocol);
    if (fd >= 0 && ::connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
      ::close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(found);
  return fd;
}

bool SendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// One field line of an event ("name: value"; the space is optional).
void ApplyField(std::string_view line, StreamEvent* event, bool* any) {
  if (line.empty() || line.front() == ':') return;
  const size_t colon = line.find(':');
  std::string_view field = line.substr(0, colon);
  std::string_view value =
      colon == std::string_view::npos ? "" : line.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  *any = true;
  if (field == "id") event->id = value;
  if (field == "event") event->event = value;
  if (field == "data") {
    if (!event->data.empty()) event->data += '\n';
    event->data += value;
  }
}

// The Content-Length of a response header block, if it has one.
std::optional<size_t> ContentLength(std::string_view header) {
  constexpr std::string_view kName = "content-length:";
  while (!header.empty()) {
    const size_t eol = header.find("\r\n");
    std::string_view line = header.substr(0, eol);
    header = eol == std::string_view::npos ? "" : header.substr(eol + 2);
    if (line.size() < kName.size()) continue;
    bool match = true;
    for (size_t i = 0; i < kName.size() && match; ++i) {
      match = std::tolower(static_cast<unsigned char>(line[i])) == kName[i];
    }
    if (!match) continue;
    std::string_view value = line.substr(kName.size());
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    size_t length = 0;
    auto [ptr, ec] =
        std::from_chars(value.data(), value.data() + value.size(), length);
    if (ec != std::errc()) return std::nullopt;
    return length;
  }
  return std::nullopt;
}

// The "detail" member of a problem+json body (RFC 9457), cut to
// kMaxRefusalDetailChars, control characters replaced; "" when absent.
std::string ProblemDetail(std::string_view body) {
  boost::system::error_code ec;
  boost::json::value problem = boost::json::parse(body, ec);
  if (ec || !problem.is_object()) return {};
  const boost::json::value* detail = problem.as_object().if_contains("detail");
  if (detail == nullptr || !detail->is_string()) return {};
  std::string text(
      detail->as_string().subview().substr(0, kMaxRefusalDetailChars));
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return text;
}

}  // namespace

Result<HttpEndpoint> ParseHttpUrl(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (!url.starts_with(kScheme)) {
    return InvalidArgument("flag client: url must start with http://");
  }
  url.remove_prefix(kScheme.size());
  if (const size_t slash = url.find('/'); slash != std::string_view::npos) {
    url = url.substr(0, slash);
  }
  const size_t colon = url.rfind(':');
  HttpEndpoint endpoint;
  endpoint.host = std::string(url.substr(0, colon));
  if (colon != std::string_view::npos) {
    std::string_view port = url.substr(colon + 1);
    auto [ptr, ec] =
        std::from_chars(port.data(), port.data() + port.size(), endpoint.port);
    if (ec != std::errc() || ptr != port.data() + port.size()) {
      return InvalidArgument("flag client: bad port in url");
    }
  }
  if (endpoint.host.starts_with('[') && endpoint.host.ends_with(']')) {
    endpoint.host = endpoint.host.substr(1, endpoint.host.size() - 2);
  }
  if (endpoint.host.empty()) return InvalidArgument("flag client: no host");
  return endpoint;
}

Result<std::unique_ptr<SseConnection>> SseConnection::Open(
    const HttpEndpoint& endpoint, const std::string& target,
    const std::vector<std::pair<std::string, std::string>>& headers,
    std::chrono::milliseconds timeout) {
  const int fd = ConnectTo(endpoint);
  if (fd < 0) {
    return Unavailable("cannot connect to " + endpoint.host + ":" +
                       std::to_string(endpoint.port));
  }
  std::unique_ptr<SseConnection> connection(new SseConnection(fd));
  std::string request = "GET " + target +
                        " HTTP/1.1\r\nHost: " + endpoint.host +
                        "\r\nAccept: text/event-stream\r\n";
  for (const auto& [name, value] : headers) {
    request += name + ": " + value + "\r\n";
  }
  request += "\r\n";
  if (!SendAll(fd, request)) return Unavailable("cannot send request");
  WARDEN_RETURN_IF_ERROR(connection->ReadHeader(timeout));
  return connection;
}

SseConnection::~SseConnection() { ::close(fd_); }

void SseConnection::Interrupt() {
  interrupted_ = true;
  ::shutdown(fd_, SHUT_RDWR);
}

Status SseConnection::Fill(std::chrono::milliseconds timeout) {
  pollfd pfd{fd_, POLLIN, 0};
  const int ready = ::poll(&pfd, 1, static_cast<int>(timeout.count()));
  if (interrupted_) return Unavailable("stream interrupted");
  if (ready == 0) return Unavailable("stream idle for too long");
  if (ready < 0) return Unavailable("poll failed");
  char chunk[64 * 1024];
  const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
  if (n <= 0) return Unavailable("stream closed by the server");
  buffer_.append(chunk, static_cast<size_t>(n));
  if (buffer_.size() > kMaxSseEventBytes) {
    return Unavailable("stream event exceeds the size limit");
  }
  return Status::Ok();
}

Status SseConnection::ReadHeader(std::chrono::milliseconds timeout) {
  size_t end;
  while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (buffer_.size() > kMaxResponseHeaderBytes) {
      return Unavailable("response header too large");
    }
    WARDEN_RETURN_IF_ERROR(Fill(timeout));
  }
  const int status = buffer_.size() > 12 ? std::atoi(buffer_.c_str() + 9) : 0;
  const std::string header = buffer_.substr(0, end);
  buffer_.erase(0, end + 4);
  if (status == 200) return Status::Ok();
  // A refusal says why (e.g. which environment the token is bound to).
  std::string why = RefusalDetail(header, timeout);
  if (!why.empty()) why = ": " + why;
  if (status == 401)
    return Unauthenticated("stream: token refused (401)" + why);
  if (status == 403) {
    return PermissionDenied("stream: token not allowed (403)" + why);
  }
  return Unavailable("stream: HTTP status " + std::to_string(status) + why);
}

std::string SseConnection::RefusalDetail(std::string_view header,
                                         std::chrono::milliseconds timeout) {
  const std::optional<size_t> length = ContentLength(header);
  if (!length || *length > kMaxRefusalBodyBytes) return {};
  while (buffer_.size() < *length) {
    if (!Fill(timeout).ok()) return {};
  }
  return ProblemDetail(std::string_view(buffer_).substr(0, *length));
}

bool SseConnection::TakeEvent(StreamEvent* event) {
  while (true) {
    const size_t end = buffer_.find("\n\n");
    if (end == std::string::npos) return false;
    *event = {};
    bool any = false;
    std::string_view block(buffer_.data(), end);
    while (!block.empty()) {
      const size_t nl = block.find('\n');
      ApplyField(block.substr(0, nl), event, &any);
      block = nl == std::string_view::npos ? "" : block.substr(nl + 1);
    }
    buffer_.erase(0, end + 2);
    if (any) return true;  // else a heartbeat: keep looking
  }
}

Result<StreamEvent> SseConnection::Next(std::chrono::milliseconds idle) {
  StreamEvent event;
  while (!TakeEvent(&event)) WARDEN_RETURN_IF_ERROR(Fill(idle));
  return event;
}

}  // namespace warden::sdk
