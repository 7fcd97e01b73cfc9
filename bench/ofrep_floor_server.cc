// The floor under Warden's OFREP figures: the least a server on this
// machine can do for the OFREP benchmark's load. One thread, plain
// level-triggered epoll, non-blocking sockets; per readiness event one
// read, every complete request in the buffer answered with the same fixed
// bytes Warden sends for the benchmark's evaluation (status line, the four
// headers, the 91-byte JSON body), all answers of one read in one send.
// Nothing is parsed beyond framing: the end of the header block and a
// Content-Length, without which a keep-alive request with a body cannot be
// told from the next one. bench/ofrep_http.sh runs it with FLOOR=1, pinned
// like `warden serve`, in the same alternation of wrk runs.
//
// Usage: ofrep_floor_server [PORT=0]; prints
// "listening on http://127.0.0.1:PORT" once it accepts connections.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace {

// Byte for byte what Warden answers the benchmark's request (the request
// id is fixed here; Warden's is as long).
constexpr std::string_view kResponse =
    "HTTP/1.1 200 OK\r\n"
    "Server: warden\r\n"
    "Content-Type: application/json\r\n"
    "X-Request-Id: 97da0b9b-4bdf-8767-8000-000000000003\r\n"
    "Content-Length: 91\r\n"
    "\r\n"
    "{\"key\":\"new-checkout\",\"reason\":\"TARGETING_MATCH\",\"value\":true,"
    "\"variant\":\"on\",\"metadata\":{}}";

// A request header block larger than this closes the connection.
constexpr size_t kMaxRequestBytes = 64 * 1024;
constexpr size_t kReadChunk = 4096;

struct Connection {
  int fd = -1;
  std::string in;   // bytes not yet framed into a request
  std::string out;  // answers not yet sent (a client that stopped reading)
  bool waits_writable = false;  // EPOLLOUT is in the epoll set
};

// The Content-Length of a header block, 0 when absent.
size_t ContentLength(std::string_view headers) {
  constexpr std::string_view kName = "\r\ncontent-length:";
  for (size_t at = headers.find("\r\n"); at != std::string_view::npos;
       at = headers.find("\r\n", at + 2)) {
    if (headers.size() - at >= kName.size() &&
        strncasecmp(headers.data() + at, kName.data(), kName.size()) == 0) {
      return std::strtoul(headers.data() + at + kName.size(), nullptr, 10);
    }
  }
  return 0;
}

// Frames the complete requests at the front of `in`, removes them and
// returns how many there were; -1 when a header block is too large.
int TakeRequests(std::string& in) {
  int count = 0;
  size_t start = 0;
  for (;;) {
    const size_t end = in.find("\r\n\r\n", start);
    if (end == std::string::npos) break;
    const size_t next =
        end + 4 +
        ContentLength(std::string_view(in).substr(start, end - start));
    if (next > in.size()) break;
    ++count;
    start = next;
  }
  in.erase(0, start);
  return in.size() > kMaxRequestBytes ? -1 : count;
}

// Sends what fits; the rest waits in out (EPOLLOUT). False: close.
bool Flush(int epoll, Connection& c) {
  while (!c.out.empty()) {
    const ssize_t n = ::send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    if (n <= 0) return false;
    c.out.erase(0, static_cast<size_t>(n));
  }
  if (c.waits_writable == !c.out.empty()) return true;  // no syscall
  c.waits_writable = !c.out.empty();
  epoll_event ev{};
  ev.events = c.waits_writable ? EPOLLIN | EPOLLOUT : EPOLLIN;
  ev.data.ptr = &c;
  ::epoll_ctl(epoll, EPOLL_CTL_MOD, c.fd, &ev);
  return true;
}

// One read and the answers to every request it completed. False: close.
bool OnReadable(int epoll, Connection& c) {
  char chunk[kReadChunk];
  const ssize_t n = ::recv(c.fd, chunk, sizeof chunk, 0);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
  if (n <= 0) return false;
  c.in.append(chunk, static_cast<size_t>(n));
  const int requests = TakeRequests(c.in);
  if (requests < 0) return false;
  const bool was_empty = c.out.empty();
  for (int i = 0; i < requests; ++i) c.out.append(kResponse);
  if (!was_empty || requests == 0) return true;  // EPOLLOUT is armed
  return Flush(epoll, c);
}

int Listen(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(fd, 1024) != 0) {
    std::perror("bind/listen");
    std::exit(1);
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  std::printf("listening on http://127.0.0.1:%d\n", ntohs(addr.sin_port));
  std::fflush(stdout);
  return fd;
}

void Accept(int epoll, int listener) {
  for (;;) {
    const int fd = ::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK);
    if (fd < 0) return;
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    auto* c = new Connection{fd, {}, {}, false};  // owned by the epoll set
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = c;
    ::epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &ev);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int listener = Listen(argc > 1 ? std::atoi(argv[1]) : 0);
  const int epoll = ::epoll_create1(0);
  epoll_event listen_event{};
  listen_event.events = EPOLLIN;
  listen_event.data.ptr = nullptr;  // the listener
  ::epoll_ctl(epoll, EPOLL_CTL_ADD, listener, &listen_event);
  std::vector<epoll_event> events(256);
  for (;;) {
    const int n =
        ::epoll_wait(epoll, events.data(), static_cast<int>(events.size()), -1);
    for (int i = 0; i < n; ++i) {
      if (events[i].data.ptr == nullptr) {
        Accept(epoll, listener);
        continue;
      }
      std::unique_ptr<Connection> c(
          static_cast<Connection*>(events[i].data.ptr));
      bool open = true;
      if (events[i].events & (EPOLLERR | EPOLLHUP)) open = false;
      if (open && (events[i].events & EPOLLOUT)) open = Flush(epoll, *c);
      if (open && (events[i].events & EPOLLIN)) open = OnReadable(epoll, *c);
      if (open) {
        c.release();  // still owned by the epoll set
      } else {
        ::close(c->fd);  // leaves the epoll set; c is deleted here
      }
    }
  }
}
