// Real receivers of the audit sinks on loopback, for tests only: a syslog
// collector over TCP (RFC 6587 octet counting) and over UDP, and an HTTP
// webhook receiver. Each runs its own thread and keeps what it received;
// every message is parsed as RFC 5424 (section 6) by ParseSyslog, a small
// parser written from the RFC's ABNF, independent of syslog_message.cc.
#ifndef WARDEN_AUDIT_AUDIT_SINK_TEST_RECEIVERS_H_
#define WARDEN_AUDIT_AUDIT_SINK_TEST_RECEIVERS_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace warden::testing_sinks {

// One parsed RFC 5424 message.
struct SyslogMessage {
  int pri = -1;
  int version = 0;
  std::string timestamp, hostname, app_name, procid, msgid;
  std::string sd_id;                          // the first SD-ELEMENT's
  std::map<std::string, std::string> params;  // its params, unescaped
  std::string msg;                            // after the BOM
  bool bom = false;
};

inline std::optional<std::string> NextToken(std::string_view& in) {
  const size_t space = in.find(' ');
  if (space == std::string_view::npos || space == 0) return std::nullopt;
  std::string token(in.substr(0, space));
  in.remove_prefix(space + 1);
  return token;
}

// RFC 5424 section 6; nullopt on anything that does not follow the ABNF
// (as far as these tests need: one SD-ELEMENT).
inline std::optional<SyslogMessage> ParseSyslog(std::string_view in) {
  SyslogMessage m;
  if (in.empty() || in[0] != '<') return std::nullopt;
  const size_t close = in.find('>');
  if (close == std::string_view::npos || close < 2 || close > 4) {
    return std::nullopt;
  }
  m.pri = std::stoi(std::string(in.substr(1, close - 1)));
  if (m.pri > 191) return std::nullopt;
  in.remove_prefix(close + 1);
  auto version = NextToken(in);
  if (!version || *version != "1") return std::nullopt;
  m.version = 1;
  for (std::string* field :
       {&m.timestamp, &m.hostname, &m.app_name, &m.procid, &m.msgid}) {
    auto token = NextToken(in);
    if (!token) return std::nullopt;
    for (char c : *token) {
      if (c < 33 || c > 126) return std::nullopt;
    }
    *field = *token;
  }
  if (in.empty() || in[0] != '[') return std::nullopt;
  size_t i = 1;
  const size_t id_end = in.find_first_of(" ]", i);
  if (id_end == std::string_view::npos) return std::nullopt;
  m.sd_id = std::string(in.substr(i, id_end - i));
  i = id_end;
  while (i < in.size() && in[i] == ' ') {
    ++i;
    const size_t eq = in.find('=', i);
    if (eq == std::string_view::npos || eq + 1 >= in.size() ||
        in[eq + 1] != '"') {
      return std::nullopt;
    }
    std::string name(in.substr(i, eq - i));
    std::string value;
    i = eq + 2;
    for (; i < in.size() && in[i] != '"'; ++i) {
      if (in[i] == '\\' && i + 1 < in.size()) ++i;
      value += in[i];
    }
    if (i >= in.size()) return std::nullopt;
    ++i;  // closing quote
    m.params[name] = value;
  }
  if (i >= in.size() || in[i] != ']') return std::nullopt;
  in.remove_prefix(i + 1);
  if (in.empty()) return m;
  if (in[0] != ' ') return std::nullopt;
  in.remove_prefix(1);
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (in.starts_with(kBom)) {
    m.bom = true;
    in.remove_prefix(kBom.size());
  }
  m.msg = std::string(in);
  return m;
}

// What a receiver got, thread-safe.
class Received {
 public:
  void Add(SyslogMessage m) {
    std::lock_guard<std::mutex> lock(mu_);
    messages_.push_back(std::move(m));
  }
  void AddRaw(std::string raw) {
    std::lock_guard<std::mutex> lock(mu_);
    raw_.push_back(std::move(raw));
  }
  std::vector<SyslogMessage> messages() const {
    std::lock_guard<std::mutex> lock(mu_);
    return messages_;
  }
  std::vector<std::string> raw() const {
    std::lock_guard<std::mutex> lock(mu_);
    return raw_;
  }
  // The distinct "seq" values seen.
  std::set<int64_t> sequences() const {
    std::lock_guard<std::mutex> lock(mu_);
    std::set<int64_t> out;
    for (const SyslogMessage& m : messages_) {
      auto seq = m.params.find("seq");
      if (seq != m.params.end()) out.insert(std::stoll(seq->second));
    }
    return out;
  }
  // Waits until `done` holds (true) or `timeout` passes (false).
  bool WaitFor(const std::function<bool(const Received&)>& done,
               std::chrono::milliseconds timeout =
                   std::chrono::milliseconds(10'000)) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (done(*this)) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return done(*this);
  }

 private:
  mutable std::mutex mu_;
  std::vector<SyslogMessage> messages_;
  std::vector<std::string> raw_;
};

// Binds a loopback socket of `type` on `port` (0: any free one).
inline int BindLoopback(int type, uint16_t port) {
  const int fd = ::socket(AF_INET, type | SOCK_CLOEXEC, 0);
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

inline uint16_t LocalPort(int fd) {
  sockaddr_in address{};
  socklen_t length = sizeof(address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  return ntohs(address.sin_port);
}

// A port nothing listens on (bound, then closed).
inline uint16_t ClosedPort() {
  const int fd = BindLoopback(SOCK_STREAM, 0);
  const uint16_t port = LocalPort(fd);
  ::close(fd);
  return port;
}

// Splits RFC 6587 octet-counted frames off the front of `buffer`.
inline std::vector<std::string> TakeFrames(std::string& buffer) {
  std::vector<std::string> frames;
  for (;;) {
    const size_t space = buffer.find(' ');
    if (space == std::string::npos) break;
    const size_t length = std::stoul(buffer.substr(0, space));
    if (buffer.size() < space + 1 + length) break;
    frames.push_back(buffer.substr(space + 1, length));
    buffer.erase(0, space + 1 + length);
  }
  return frames;
}

// A syslog collector on 127.0.0.1 (TCP with octet counting, or UDP).
class SyslogReceiver {
 public:
  // `port` 0: a free one. ok() is false when the port cannot be bound.
  explicit SyslogReceiver(bool udp, uint16_t port = 0) : udp_(udp) {
    fd_ = BindLoopback(udp ? SOCK_DGRAM : SOCK_STREAM, port);
    if (fd_ < 0) return;
    if (!udp) ::listen(fd_, 16);
    port_ = LocalPort(fd_);
    thread_ = std::thread([this] { udp_ ? RunUdp() : RunTcp(); });
  }
  ~SyslogReceiver() { Stop(); }

  bool ok() const { return fd_ >= 0; }
  uint16_t port() const { return port_; }
  const Received& received() const { return received_; }
  int connections() const { return connections_.load(); }
  int unparsed() const { return unparsed_.load(); }

  void Stop() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  void Keep(std::string message) {
    received_.AddRaw(message);
    auto parsed = ParseSyslog(message);
    if (parsed) {
      received_.Add(std::move(*parsed));
    } else {
      ++unparsed_;
    }
  }

  void RunUdp() {
    std::string buffer(70'000, '\0');
    while (!stopping_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      const ssize_t n = ::recv(fd_, buffer.data(), buffer.size(), 0);
      if (n > 0) Keep(buffer.substr(0, static_cast<size_t>(n)));
    }
  }

  // Every open connection at once (replicas, reconnects), each with its
  // own frame buffer.
  void RunTcp() {
    std::vector<std::pair<int, std::string>> connections;
    char chunk[65536];
    while (!stopping_) {
      std::vector<pollfd> polled = {{fd_, POLLIN, 0}};
      for (const auto& c : connections) polled.push_back({c.first, POLLIN, 0});
      if (::poll(polled.data(), polled.size(), 20) <= 0) continue;
      if (polled[0].revents & POLLIN) {
        const int connection = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (connection >= 0) {
          ++connections_;
          connections.push_back({connection, std::string()});
        }
      }
      for (size_t i = 1; i < polled.size(); ++i) {
        if (polled[i].revents == 0) continue;
        auto& [connection, buffer] = connections[i - 1];
        const ssize_t n = ::recv(connection, chunk, sizeof(chunk), 0);
        if (n <= 0) {
          ::close(connection);
          connection = -1;
          continue;
        }
        buffer.append(chunk, static_cast<size_t>(n));
        for (std::string& frame : TakeFrames(buffer)) Keep(std::move(frame));
      }
      std::erase_if(connections, [](const auto& c) { return c.first < 0; });
    }
    for (const auto& c : connections) ::close(c.first);
  }

  const bool udp_;
  int fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::atomic<int> unparsed_{0};
  Received received_;
  std::thread thread_;
};

// One request the webhook receiver got.
struct WebhookRequest {
  std::string target;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

// An HTTP/1.1 server on 127.0.0.1 answering every request with `status`
// (changeable), one connection at a time, on Beast.
class WebhookReceiver {
 public:
  WebhookReceiver()
      : acceptor_(ioc_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { Run(); });
  }
  ~WebhookReceiver() { Stop(); }

  uint16_t port() const { return port_; }
  std::string url(const std::string& path = "/audit") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  void set_status(unsigned status) { status_ = status; }

  std::vector<WebhookRequest> requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }
  bool WaitFor(
      const std::function<bool(const std::vector<WebhookRequest>&)>& done,
      std::chrono::milliseconds timeout =
          std::chrono::milliseconds(10'000)) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (done(requests())) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return done(requests());
  }

  void Stop() {
    if (stopping_.exchange(true)) return;
    // Unblocks accept() with a connection of our own.
    boost::system::error_code ignored;
    boost::asio::ip::tcp::socket poke(ioc_);
    poke.connect(acceptor_.local_endpoint(), ignored);
    if (thread_.joinable()) thread_.join();
  }

 private:
  void Run() {
    namespace http = boost::beast::http;
    while (!stopping_) {
      boost::system::error_code ec;
      boost::asio::ip::tcp::socket socket(ioc_);
      acceptor_.accept(socket, ec);
      if (ec || stopping_) continue;
      boost::beast::flat_buffer buffer;
      for (;;) {
        http::request<http::string_body> request;
        http::read(socket, buffer, request, ec);
        if (ec) break;
        WebhookRequest got;
        got.target = std::string(request.target());
        for (const auto& field : request) {
          std::string name(field.name_string());
          for (char& c : name) c = static_cast<char>(std::tolower(c));
          got.headers[name] = std::string(field.value());
        }
        got.body = request.body();
        {
          std::lock_guard<std::mutex> lock(mu_);
          requests_.push_back(std::move(got));
        }
        http::response<http::string_body> response(
            static_cast<http::status>(status_.load()), 11);
        if (status_ != 204) response.body() = "{}";  // 204: no body
        response.prepare_payload();
        http::write(socket, response, ec);
        if (ec || !request.keep_alive()) break;
      }
    }
  }

  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  std::atomic<unsigned> status_{200};
  std::atomic<bool> stopping_{false};
  mutable std::mutex mu_;
  std::vector<WebhookRequest> requests_;
  std::thread thread_;
};

}  // namespace warden::testing_sinks

#endif  // WARDEN_AUDIT_AUDIT_SINK_TEST_RECEIVERS_H_
