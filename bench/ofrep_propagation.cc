// Kill-switch propagation: N Server-Sent Events subscribers of
// GET /v1/stream; per trial, the time from sending POST /v1/limits (set,
// then lift in the next trial) to each subscriber having received the
// complete "change" event, and to the last of them. One epoll thread reads
// every subscriber, so the figure includes this process's own delay. Also
// prints the bytes of the opening "config" event (what every change event
// weighed when changes shipped the full configuration) and of the change
// events (patches of the "limits" section), and how long the API call
// took (commit plus the server's reload, snapshot build and publish of
// every environment, since the limit names none).
//
// With INTERVAL_MS, trials start that far apart (the subscribers are read
// in between): bench/soak.sh flips the kill switch every 10 s this way.
// Exits 1 when an API call is not answered 2xx, a subscriber's stream
// closes, or a change does not reach every subscriber within 30 s.
//
// Usage: ofrep_propagation HOST PORT ADMIN_TOKEN SDK_TOKEN [SUBSCRIBERS=1000]
//        [TRIALS=20] [INTERVAL_MS=0]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

// Subscribers that connect (and read their opening event) at once.
constexpr int kConnectWave = 100;

struct Subscriber {
  int fd = -1;
  std::string buffer;
  int events = 0;   // complete events received (heartbeats excluded)
  int changes = 0;  // complete "change" events received
  Clock::time_point last_change;
  size_t config_bytes = 0;  // the opening "config" event
  size_t change_bytes = 0;  // every "change" event
  size_t scanned = 0;       // buffer prefix known to hold no event end
};

int Connect(const char* host, int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, host, &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    std::perror("connect");
    std::exit(1);
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

void SendAll(int fd, const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, 0);
    if (n <= 0) {
      std::perror("send");
      std::exit(1);
    }
    sent += static_cast<size_t>(n);
  }
}

// Counts complete events in the buffer; "change" ones bump the counter.
void Consume(Subscriber& s, Clock::time_point now) {
  // Scans only the new bytes: a multi-megabyte "config" event arrives in
  // hundreds of reads.
  size_t end;
  while ((end = s.buffer.find("\n\n", s.scanned)) != std::string::npos) {
    s.scanned = 0;
    // The event's fields (and, before the first, the HTTP header) lead.
    const std::string_view block(s.buffer.data(), end + 2);
    const std::string_view head = block.substr(0, 1024);
    if (head.find("event: ") != std::string_view::npos) ++s.events;
    if (head.find("event: change\n") != std::string_view::npos) {
      ++s.changes;
      s.change_bytes += block.size();
      s.last_change = now;
    } else if (head.find("event: config\n") != std::string_view::npos) {
      s.config_bytes += block.size();
    }
    s.buffer.erase(0, end + 2);
  }
  s.scanned = s.buffer.empty() ? 0 : s.buffer.size() - 1;
}

void ReadReady(int epoll, std::vector<Subscriber>& subs, int timeout_ms) {
  epoll_event events[256];
  int n = ::epoll_wait(epoll, events, 256, timeout_ms);
  const Clock::time_point now = Clock::now();
  char chunk[64 * 1024];
  for (int i = 0; i < n; ++i) {
    Subscriber& s = subs[events[i].data.u32];
    ssize_t got = ::recv(s.fd, chunk, sizeof chunk, 0);
    if (got <= 0) {
      std::fprintf(stderr, "subscriber %u closed\n", events[i].data.u32);
      std::exit(1);
    }
    s.buffer.append(chunk, static_cast<size_t>(got));
    Consume(s, now);
  }
}

// Sends one API call on a fresh connection and returns the response body.
std::string Api(const char* host, int port, const std::string& token,
                const std::string& path, const std::string& body) {
  int fd = Connect(host, port);
  SendAll(fd, "POST " + path +
                  " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
                  "\r\nContent-Type: application/json\r\n"
                  "Connection: close\r\nContent-Length: " +
                  std::to_string(body.size()) + "\r\n\r\n" + body);
  std::string reply;
  char chunk[4096];
  ssize_t n;
  while ((n = ::recv(fd, chunk, sizeof chunk, 0)) > 0) reply.append(chunk, n);
  ::close(fd);
  return reply;
}

// Exits unless the reply's status is 2xx.
void ExpectSuccess(const std::string& reply, const std::string& what) {
  if (reply.compare(0, 10, "HTTP/1.1 2") != 0) {
    std::fprintf(stderr, "%s: %s\n", what.c_str(),
                 reply.substr(0, reply.find('\r')).c_str());
    std::exit(1);
  }
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr,
                 "usage: %s HOST PORT ADMIN_TOKEN SDK_TOKEN [N] [TRIALS]\n",
                 argv[0]);
    return 2;
  }
  const char* host = argv[1];
  const int port = std::atoi(argv[2]);
  const std::string admin = argv[3], sdk = argv[4];
  const int count = argc > 5 ? std::atoi(argv[5]) : 1000;
  const int trials = argc > 6 ? std::atoi(argv[6]) : 20;
  const std::chrono::milliseconds interval(argc > 7 ? std::atoi(argv[7]) : 0);
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &limit);

  int epoll = ::epoll_create1(0);
  std::vector<Subscriber> subs(count);
  auto subscribed = [&](int end) {
    return std::all_of(subs.begin(), subs.begin() + end,
                       [](const Subscriber& s) { return s.events > 0; });
  };
  // Connects in waves, each waiting for its opening "config" events: with
  // 100,000 tenants each is ~12 MB, and 1,000 at once through this one
  // reading thread can take longer than the server's write timeout
  // (kSseWriteTimeout) on a loaded machine, which then drops subscribers.
  // Generous: with 100,000 tenants each subscriber first reads ~12 MB.
  const auto settle = Clock::now() + std::chrono::seconds(600);
  for (int wave = 0; wave < count; wave += kConnectWave) {
    const int end = std::min(count, wave + kConnectWave);
    for (int i = wave; i < end; ++i) {
      subs[i].fd = Connect(host, port);
      SendAll(subs[i].fd,
              "GET /v1/stream?environment=development HTTP/1.1\r\n"
              "Host: x\r\nX-API-Key: " +
                  sdk + "\r\n\r\n");
      epoll_event ev{};
      ev.events = EPOLLIN;
      ev.data.u32 = static_cast<uint32_t>(i);
      ::epoll_ctl(epoll, EPOLL_CTL_ADD, subs[i].fd, &ev);
    }
    while (!subscribed(end) && Clock::now() < settle) {
      ReadReady(epoll, subs, 100);
    }
  }
  if (!subscribed(count)) {
    std::fprintf(stderr, "not every subscriber got the configuration\n");
    return 1;
  }
  std::vector<double> last_ms, each_ms, api_ms;
  std::string limit_id;
  for (int t = 0; t < trials; ++t) {
    const Clock::time_point start = Clock::now();
    std::string reply;
    if (limit_id.empty()) {
      reply = Api(host, port, admin, "/v1/limits",
                  R"({"scope":"tenant","values":["acme"],"reason":"bench"})");
      ExpectSuccess(reply, "setting the limit");
      const size_t at = reply.find("\"id\":\"");
      limit_id = reply.substr(at + 6, reply.find('"', at + 6) - at - 6);
    } else {
      ExpectSuccess(Api(host, port, admin, "/v1/limits/" + limit_id + "/lift",
                        R"({"reason":"bench"})"),
                    "lifting limit " + limit_id);
      limit_id.clear();
    }
    api_ms.push_back(
        std::chrono::duration<double, std::milli>(Clock::now() - start)
            .count());
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    auto done = [&] {
      return std::all_of(subs.begin(), subs.end(),
                         [&](const Subscriber& s) { return s.changes > t; });
    };
    while (!done() && Clock::now() < deadline) ReadReady(epoll, subs, 100);
    if (!done()) {
      std::fprintf(stderr, "trial %d: not every subscriber got the change\n",
                   t);
      return 1;
    }
    double last = 0;
    for (const Subscriber& s : subs) {
      const double ms =
          std::chrono::duration<double, std::milli>(s.last_change - start)
              .count();
      each_ms.push_back(ms);
      last = std::max(last, ms);
    }
    last_ms.push_back(last);
    while (Clock::now() < start + interval) ReadReady(epoll, subs, 100);
  }
  std::printf(
      "subscribers %d, trials %d\n"
      "last subscriber applied: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n"
      "each subscriber:         p50 %.2f ms, p99 %.2f ms\n",
      count, trials, Percentile(last_ms, 0.5), Percentile(last_ms, 0.99),
      Percentile(last_ms, 1.0), Percentile(each_ms, 0.5),
      Percentile(each_ms, 0.99));
  std::printf(
      "bytes: opening config event %zu, change event %.0f (mean)\n"
      "set/lift API call (commit + reload + build + publish, 3 envs): "
      "p50 %.2f ms, max %.2f ms\n",
      subs[0].config_bytes,
      static_cast<double>(subs[0].change_bytes) / subs[0].changes,
      Percentile(api_ms, 0.5), Percentile(api_ms, 1.0));
  return 0;
}
