// Syslog transports: TCP (RFC 6587) and UDP (RFC 5426) on POSIX sockets,
// blocking with deadlines, on the sink's own thread.
#include "audit/syslog_audit_sink.h"

#include <errno.h>
#include <linux/sockios.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <thread>

namespace warden {
namespace {

using SteadyClock = std::chrono::steady_clock;

std::string MachineName() {
  char name[256] = {};
  if (::gethostname(name, sizeof(name) - 1) != 0) return "-";
  return name;
}

SyslogHeader HeaderOf(const AuditSinkSpec& spec) {
  SyslogHeader header;
  header.facility = spec.facility;
  header.hostname = spec.hostname.empty() ? MachineName() : spec.hostname;
  header.app_name = spec.app_name;
  header.procid = std::to_string(::getpid());
  header.sd_id = spec.sd_id;
  return header;
}

int RemainingMs(SteadyClock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - SteadyClock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

// Waits until `fd` is writable or has an error; false on the deadline.
bool AwaitWritable(int fd, SteadyClock::time_point deadline) {
  pollfd p{fd, POLLOUT, 0};
  for (;;) {
    const int n = ::poll(&p, 1, RemainingMs(deadline));
    if (n > 0) return true;
    if (n == 0) return false;
    if (errno != EINTR) return true;  // the next call reports the error
  }
}

int SocketError(int fd) {
  int error = 0;
  socklen_t length = sizeof(error);
  ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
  return error;
}

// Connects the non-blocking `fd` to `address` by `deadline`: 0 or the
// errno of the failure.
int ConnectWithin(int fd, const addrinfo& address,
                  SteadyClock::time_point deadline) {
  if (::connect(fd, address.ai_addr, address.ai_addrlen) == 0) return 0;
  if (errno != EINPROGRESS) return errno;
  if (!AwaitWritable(fd, deadline)) return ETIMEDOUT;
  return SocketError(fd);
}

}  // namespace

SyslogAuditSink::SyslogAuditSink(const AuditSinkSpec& spec,
                                 std::chrono::milliseconds timeout)
    : udp_(spec.kind == AuditSinkKind::kSyslogUdp),
      host_(spec.host),
      port_(std::to_string(spec.port)),
      max_datagram_(static_cast<size_t>(spec.max_datagram)),
      timeout_(timeout),
      header_(HeaderOf(spec)) {}

SyslogAuditSink::~SyslogAuditSink() { Disconnect(); }

void SyslogAuditSink::Disconnect() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Status SyslogAuditSink::Fail(std::string_view what, int error) {
  Disconnect();
  return Unavailable(
      "syslog " + std::string(udp_ ? "udp" : "tcp") + " " + host_ + ":" +
      port_ + ": " + std::string(what) +
      (error != 0 ? std::string(": ") + std::strerror(error) : std::string()));
}

// Resolves and connects (non-blocking connect, bounded by timeout_).
Status SyslogAuditSink::Connect() {
  addrinfo hints{};
  hints.ai_socktype = udp_ ? SOCK_DGRAM : SOCK_STREAM;
  addrinfo* found = nullptr;
  const int resolved =
      ::getaddrinfo(host_.c_str(), port_.c_str(), &hints, &found);
  if (resolved != 0) {
    return Fail(std::string("resolve: ") + ::gai_strerror(resolved), 0);
  }
  const auto deadline = SteadyClock::now() + timeout_;
  int error = 0;
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    fd_ = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
                   a->ai_protocol);
    if (fd_ < 0) {
      error = errno;
      continue;
    }
    error = ConnectWithin(fd_, *a, deadline);
    if (error == 0) {
      ::freeaddrinfo(found);
      if (!udp_) {
        const int one = 1;
        ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
      }
      return Status::Ok();
    }
    Disconnect();
  }
  ::freeaddrinfo(found);
  return Fail("connect", error);
}

Status SyslogAuditSink::SendAll(std::string_view bytes) {
  const auto deadline = SteadyClock::now() + timeout_;
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n >= 0) {
      bytes.remove_prefix(static_cast<size_t>(n));
      continue;
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN || !AwaitWritable(fd_, deadline)) {
      return Fail("send", errno == EAGAIN ? ETIMEDOUT : errno);
    }
  }
  return Status::Ok();
}

// The collector's TCP has acknowledged every byte sent once the send queue
// (unsent plus unacknowledged, SIOCOUTQ) is empty.
Status SyslogAuditSink::AwaitAcknowledged() {
  const auto deadline = SteadyClock::now() + timeout_;
  auto pause = std::chrono::microseconds(50);
  for (;;) {
    int queued = 0;
    if (::ioctl(fd_, SIOCOUTQ, &queued) != 0) return Fail("SIOCOUTQ", errno);
    if (queued == 0) return Status::Ok();
    const int error = SocketError(fd_);
    if (error != 0) return Fail("connection", error);
    if (SteadyClock::now() >= deadline) {
      return Fail("collector did not acknowledge the batch in time", 0);
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::microseconds(5000));
  }
}

Status SyslogAuditSink::DeliverTcp(std::span<const AuditRecord> records) {
  if (fd_ >= 0) {
    // A collector that closed the connection shows as readable (EOF or
    // RST); reconnect rather than write into a dead socket.
    pollfd p{fd_, POLLIN | POLLRDHUP, 0};
    if (::poll(&p, 1, 0) > 0) Disconnect();
  }
  if (fd_ < 0) WARDEN_RETURN_IF_ERROR(Connect());
  std::string frames;
  for (const AuditRecord& record : records) {
    AppendOctetCountedFrame(FormatSyslogMessage(record, header_), frames);
  }
  WARDEN_RETURN_IF_ERROR(SendAll(frames));
  return AwaitAcknowledged();
}

Status SyslogAuditSink::DeliverUdp(std::span<const AuditRecord> records) {
  if (fd_ < 0) WARDEN_RETURN_IF_ERROR(Connect());
  for (const AuditRecord& record : records) {
    const std::string message =
        FormatSyslogMessage(record, header_, max_datagram_);
    WARDEN_RETURN_IF_ERROR(SendAll(message));
  }
  return Status::Ok();
}

Status SyslogAuditSink::Deliver(std::span<const AuditRecord> records) {
  return udp_ ? DeliverUdp(records) : DeliverTcp(records);
}

}  // namespace warden
