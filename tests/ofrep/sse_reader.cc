#include "sse_reader.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace warden::testing_http {

SseReader::SseReader(uint16_t port, const std::string& target,
                     const std::string& token, const std::string& last_event_id,
                     std::chrono::seconds timeout, int receive_buffer) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  timeval tv{static_cast<time_t>(timeout.count()), 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (receive_buffer > 0) {
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer,
                 sizeof receive_buffer);
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    return;
  }
  std::string request = "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n";
  if (token.starts_with("Bearer ")) {
    request += "Authorization: " + token + "\r\n";
  } else if (!token.empty()) {
    request += "X-API-Key: " + token + "\r\n";
  }
  if (!last_event_id.empty()) {
    request += "Last-Event-ID: " + last_event_id + "\r\n";
  }
  request += "Accept: text/event-stream\r\n\r\n";
  if (::send(fd_, request.data(), request.size(), MSG_NOSIGNAL) < 0) return;
  size_t end;
  while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!Fill()) return;
  }
  header_ = buffer_.substr(0, end + 4);
  buffer_.erase(0, end + 4);
  if (header_.size() > 12) status_ = std::atoi(header_.c_str() + 9);
}

SseReader::~SseReader() {
  if (fd_ >= 0) ::close(fd_);
}

bool SseReader::Fill() {
  char chunk[16 * 1024];
  const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
  if (n <= 0) return false;
  buffer_.append(chunk, static_cast<size_t>(n));
  return true;
}

std::optional<SseEvent> SseReader::Next() {
  while (true) {
    size_t end;
    while ((end = buffer_.find("\n\n")) == std::string::npos) {
      if (!Fill()) return std::nullopt;
    }
    const std::string block = buffer_.substr(0, end + 1);
    buffer_.erase(0, end + 2);
    SseEvent event;
    bool any = false;
    size_t start = 0;
    while (start < block.size()) {
      const size_t nl = block.find('\n', start);
      const std::string line = block.substr(start, nl - start);
      start = nl + 1;
      if (line.empty() || line[0] == ':') continue;
      const size_t colon = line.find(':');
      const std::string field = line.substr(0, colon);
      std::string value =
          colon == std::string::npos ? "" : line.substr(colon + 1);
      if (!value.empty() && value[0] == ' ') value.erase(0, 1);
      any = true;
      if (field == "id") event.id = value;
      if (field == "event") event.event = value;
      if (field == "data") {
        if (!event.data.empty()) event.data += '\n';
        event.data += value;
      }
    }
    if (any) return event;
  }
}

bool SseReader::WaitForComment(const std::string& text) {
  const std::string line = "\n: " + text + "\n";
  while (("\n" + buffer_).find(line) == std::string::npos) {
    if (!Fill()) return false;
  }
  return true;
}

bool SseReader::WaitClosed() {
  char chunk[4096];
  while (true) {
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n == 0) return true;
    if (n < 0) return errno == ECONNRESET;
  }
}

}  // namespace warden::testing_http
