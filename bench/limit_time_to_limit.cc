// Time to limit exposure: a real ServerApp in this process on 127.0.0.1:0,
// loaded with TENANTS tenants (default 10,000), FLAGS boolean flags (1,000)
// and TOKENS live tenant-bound access tokens (5,000), followed by
// SUBSCRIBERS streams of GET /v1/stream (1,000). Per trial, from sending
// POST /v1/limits:
//   (a) until the last subscriber has received the complete "change" event;
//   (b) until the call returned: the tied tokens were revoked in the
//       limit's own write unit, so every one of them is inactive by then.
//       The tool checks it by introspecting each tied token after the call
//       (all must read inactive) and also reports when that check ended.
// Scenarios, alternated trial by trial so both see the same machine load:
//   tenant         a tenant limit on a tenant holding 100 of the tokens;
//   untied         the same-run baseline: a tenant limit on a tenant that
//                  holds none (the path without revocation);
//   account_owner  an account owner limit on a manager of 500 tenants, 100
//                  of which hold 6 tokens each (5 managers, cycled).
// Live tokens: 100 for each tenant trial plus 600 per manager (5,000 with
// the defaults).
// Each limit is lifted after its trial (and the lift's change awaited), so
// every trial starts from the same configuration.
//
// Usage: limit_time_to_limit [SUBSCRIBERS=1000] [TRIALS=20] [TENANTS=10000]
//        [FLAGS=1000]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/time_format.h"
#include "server/server_app.h"
#include "store/sqlite/sqlite_store.h"

namespace warden {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kTokensPerTenant = 100;        // tenant trials
constexpr int kOwners = 5;                   // account managers, cycled
constexpr int kManagedTenants = 500;         // per account manager
constexpr int kTokenedManagedTenants = 100;  // of which hold tokens
constexpr int kTokensPerManagedTenant = 6;

double Ms(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "limit_time_to_limit: %s\n", what.c_str());
  std::exit(1);
}

int Connect(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    Die("connect");
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

void SendAll(int fd, const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, 0);
    if (n <= 0) Die("send");
    sent += static_cast<size_t>(n);
  }
}

// One request on a fresh connection; the whole response (status line on).
std::string Call(int port, const std::string& method, const std::string& path,
                 const std::string& headers, const std::string& body) {
  int fd = Connect(port);
  SendAll(fd, method + " " + path + " HTTP/1.1\r\nHost: x\r\n" + headers +
                  "Connection: close\r\nContent-Length: " +
                  std::to_string(body.size()) + "\r\n\r\n" + body);
  std::string reply;
  char chunk[16 * 1024];
  ssize_t n;
  while ((n = ::recv(fd, chunk, sizeof chunk, 0)) > 0) reply.append(chunk, n);
  ::close(fd);
  return reply;
}

std::string Json(const std::string& token) {
  return "Authorization: Bearer " + token +
         "\r\nContent-Type: application/json\r\n";
}
std::string Form(const std::string& authorization) {
  return "Authorization: " + authorization +
         "\r\nContent-Type: application/x-www-form-urlencoded\r\n";
}

// The string value of "name" in a flat JSON reply.
std::string Field(const std::string& reply, const std::string& name) {
  const std::string key = "\"" + name + "\":\"";
  const size_t at = reply.find(key);
  if (at == std::string::npos) Die("no \"" + name + "\" in: " + reply);
  const size_t start = at + key.size();
  return reply.substr(start, reply.find('"', start) - start);
}

std::string Base64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < in.size(); i += 3) {
    uint32_t v = static_cast<uint8_t>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<uint8_t>(in[i + 1]) << 8;
    if (i + 2 < in.size()) v |= static_cast<uint8_t>(in[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += i + 2 < in.size() ? kAlphabet[v & 63] : '=';
  }
  return out;
}

std::string TenantKey(int i) { return "tenant-" + std::to_string(i); }
std::string Manager(int m) { return "am-" + std::to_string(m); }

// Tenants straight into the store before the server starts (the API would
// republish the tenants section once per tenant). Tenants from
// `managed_from` on get managers am-0, am-1, ... in blocks of 500.
void LoadTenants(const std::string& dir, int count, int managed_from) {
  ::mkdir(dir.c_str(), 0700);
  SqliteStoreOptions options;
  options.path = dir + "/warden.db";
  auto store = OpenSqliteStore(options);
  if (!store.ok()) Die(store.status().ToString());
  SystemClock clock;
  for (int first = 0; first < count; first += 1000) {
    Status s = (*store)->Write([&](Transaction& tx) -> Status {
      for (int i = first; i < std::min(count, first + 1000); ++i) {
        TenantRecord tenant;
        tenant.key = TenantKey(i);
        tenant.name = tenant.key;
        if (i >= managed_from) {
          tenant.account_manager =
              Manager((i - managed_from) / kManagedTenants);
        }
        tenant.created_at = tenant.updated_at = clock.Now();
        WARDEN_RETURN_IF_ERROR(tx.tenants().Insert(tenant));
      }
      return Status::Ok();
    });
    if (!s.ok()) Die(s.ToString());
  }
  (*store)->Close();
}

std::string FlagdFile(int count) {
  std::string out = "{\"flags\": {";
  for (int i = 0; i < count; ++i) {
    if (i > 0) out += ",";
    out += "\"flag-" + std::to_string(i) +
           "\": {\"state\": \"ENABLED\", \"variants\": {\"on\": true, "
           "\"off\": false}, \"defaultVariant\": \"on\"}";
  }
  return out + "}}";
}

struct Subscriber {
  int fd = -1;
  std::string buffer;
  int events = 0;
  int changes = 0;
  Clock::time_point last_change;
};

void Consume(Subscriber& s, Clock::time_point now) {
  size_t end;
  while ((end = s.buffer.find("\n\n")) != std::string::npos) {
    const std::string_view head(s.buffer.data(), std::min<size_t>(end, 1024));
    if (head.find("event: ") != std::string_view::npos) ++s.events;
    if (head.find("event: change\n") != std::string_view::npos) {
      ++s.changes;
      s.last_change = now;
    }
    s.buffer.erase(0, end + 2);
  }
}

class Streams {
 public:
  Streams(int port, const std::string& sdk, int count)
      : epoll_(::epoll_create1(0)), subs_(count) {
    for (int i = 0; i < count; ++i) {
      subs_[i].fd = Connect(port);
      SendAll(subs_[i].fd,
              "GET /v1/stream?environment=development HTTP/1.1\r\nHost: "
              "x\r\nX-API-Key: " +
                  sdk + "\r\n\r\n");
      epoll_event ev{};
      ev.events = EPOLLIN;
      ev.data.u32 = static_cast<uint32_t>(i);
      ::epoll_ctl(epoll_, EPOLL_CTL_ADD, subs_[i].fd, &ev);
    }
    WaitAll([](const Subscriber& s) { return s.events > 0; }, 600);
  }

  // Waits until every subscriber has `changes` change events; returns the
  // latest arrival of the last of them.
  Clock::time_point AwaitChanges(int changes) {
    WaitAll([&](const Subscriber& s) { return s.changes >= changes; }, 60);
    Clock::time_point last{};
    for (const Subscriber& s : subs_) last = std::max(last, s.last_change);
    return last;
  }

 private:
  template <typename Done>
  void WaitAll(Done done, int seconds) {
    const auto deadline = Clock::now() + std::chrono::seconds(seconds);
    while (!std::all_of(subs_.begin(), subs_.end(), done)) {
      if (Clock::now() > deadline) Die("subscribers did not all get it");
      ReadReady();
    }
  }

  void ReadReady() {
    epoll_event events[256];
    const int n = ::epoll_wait(epoll_, events, 256, 100);
    const Clock::time_point now = Clock::now();
    char chunk[64 * 1024];
    for (int i = 0; i < n; ++i) {
      Subscriber& s = subs_[events[i].data.u32];
      const ssize_t got = ::recv(s.fd, chunk, sizeof chunk, 0);
      if (got <= 0) Die("a subscriber was closed");
      s.buffer.append(chunk, static_cast<size_t>(got));
      Consume(s, now);
    }
  }

  int epoll_;
  std::vector<Subscriber> subs_;
};

struct Figures {
  std::vector<double> subscribers_ms;  // (a)
  std::vector<double> returned_ms;     // (b)
  std::vector<double> verified_ms;     // (b) checked by introspection
  // The server's own report.timings_us, in ms.
  std::map<std::string, std::vector<double>> parts;
};

constexpr const char* kParts[] = {"limit", "revocation", "publish", "total"};

// The number after "name": within the reply's "timings_us" object.
double TimingMs(const std::string& reply, const std::string& name) {
  const size_t timings = reply.find("\"timings_us\"");
  if (timings == std::string::npos) Die("no timings_us in: " + reply);
  const std::string key = "\"" + name + "\":";
  const size_t at = reply.find(key, timings);
  if (at == std::string::npos) Die("no timings_us." + name);
  return std::atof(reply.c_str() + at + key.size()) / 1000.0;
}

class Bench {
 public:
  Bench(int port, std::string admin) : port_(port), admin_(std::move(admin)) {}

  std::string Post(const std::string& path, const std::string& body,
                   int expect = 0) {
    std::string reply = Call(port_, "POST", path, Json(admin_), body);
    if (expect != 0 &&
        reply.rfind("HTTP/1.1 " + std::to_string(expect), 0) != 0) {
      Die(path + ": " + reply.substr(0, 600));
    }
    return reply;
  }

  void CreateClient() {
    Post("/v1/teams", R"({"name":"bench"})", 201);
    const std::string expires =
        FormatRfc3339(SystemClock().Now() + std::chrono::hours(24 * 30));
    const std::string identity =
        Post("/v1/identities",
             R"({"name":"bench-worker","kind":"workload","owner":"bench",)"
             R"("application":"bench","environment":"development",)"
             R"("scopes":["orders:read"],"expires_at":")" +
                 expires + R"(","justification":"bench"})",
             201);
    const std::string id = Field(identity, "id");
    const std::string secret =
        Field(Post("/v1/identities/" + id + "/credentials",
                   R"({"method":"client_secret"})", 201),
              "client_secret");
    basic_ = "Basic " + Base64(id + ":" + secret);
  }

  std::string IssueToken(const std::string& tenant) {
    const std::string reply =
        Call(port_, "POST", "/oauth/token", Form(basic_),
             "grant_type=client_credentials&tenant=" + tenant);
    return Field(reply, "access_token");
  }

  bool Active(const std::string& token) {
    const std::string reply = Call(port_, "POST", "/oauth/introspect",
                                   Form("Bearer " + admin_), "token=" + token);
    return reply.find("\"active\":true") != std::string::npos;
  }

  // One trial: set, measure, verify, lift (and await the lift's change).
  void Trial(Streams& streams, int& changes, const std::string& body,
             const std::vector<std::string>& tied, Figures& figures) {
    const Clock::time_point start = Clock::now();
    const std::string reply = Post("/v1/limits", body, 201);
    const Clock::time_point returned = Clock::now();
    const Clock::time_point applied = streams.AwaitChanges(++changes);
    for (const std::string& token : tied) {
      if (Active(token)) Die("a tied token is still active");
    }
    const Clock::time_point verified = Clock::now();
    figures.subscribers_ms.push_back(Ms(applied - start));
    figures.returned_ms.push_back(Ms(returned - start));
    figures.verified_ms.push_back(Ms(verified - start));
    for (const char* part : kParts) {
      figures.parts[part].push_back(TimingMs(reply, part));
    }
    Post("/v1/limits/" + Field(reply, "id") + "/lift", R"({"reason":"bench"})",
         200);
    streams.AwaitChanges(++changes);
  }

 private:
  const int port_;
  const std::string admin_;
  std::string basic_;
};

void Print(const char* name, const Figures& f) {
  std::printf(
      "%-14s (a) last subscriber: p50 %7.2f ms  p99 %7.2f ms | (b) call "
      "returned, tied tokens revoked: p50 %7.2f ms  p99 %7.2f ms | all "
      "checked inactive: p50 %7.2f ms\n",
      name, Percentile(f.subscribers_ms, 0.5),
      Percentile(f.subscribers_ms, 0.99), Percentile(f.returned_ms, 0.5),
      Percentile(f.returned_ms, 0.99), Percentile(f.verified_ms, 0.5));
  std::printf("%-14s server timings_us p50:", "");
  for (const char* part : kParts) {
    std::printf(" %s %.2f ms", part, Percentile(f.parts.at(part), 0.5));
  }
  std::printf("\n");
}

int Run(int subscribers, int trials, int tenants, int flags) {
  if (!InitCrypto().ok()) return 1;
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &limit);
  const int managed_from = tenants - kOwners * kManagedTenants;
  if (managed_from < 2 * trials) Die("too few tenants for the trials");
  std::string dir =
      (std::filesystem::temp_directory_path() / "warden-limit-bench-XXXXXX")
          .string();
  if (::mkdtemp(dir.data()) == nullptr) Die("mkdtemp");
  LoadTenants(dir + "/data", tenants, managed_from);

  server::ServerOptions options;
  options.data_dir = dir + "/data";
  options.listen = "127.0.0.1:0";
  options.oauth_client_rate = 1e6;  // the bench issues thousands of tokens
  options.max_streams_per_token = static_cast<size_t>(subscribers) + 10;
  Result<std::unique_ptr<server::ServerApp>> app =
      server::ServerApp::Start(options);
  if (!app.ok()) Die(app.status().ToString());
  const int port = (*app)->port();
  std::string admin;
  std::getline(std::ifstream(options.data_dir + "/admin.token"), admin);
  Bench bench(port, admin);
  bench.Post("/v1/flags/import?environment=development", FlagdFile(flags), 200);
  bench.CreateClient();

  // Tokens: tenant-t for tenant trial t; 100 of the 500 tenants of each
  // manager am-m. Tenants from `trials` on hold none (the baseline's).
  const auto issue_start = Clock::now();
  std::map<std::string, std::vector<std::string>> tied;  // by limit value
  for (int t = 0; t < trials; ++t) {
    for (int k = 0; k < kTokensPerTenant; ++k) {
      tied[TenantKey(t)].push_back(bench.IssueToken(TenantKey(t)));
    }
  }
  for (int m = 0; m < kOwners; ++m) {
    const int first = managed_from + m * kManagedTenants;
    for (int i = first; i < first + kTokenedManagedTenants; ++i) {
      for (int k = 0; k < kTokensPerManagedTenant; ++k) {
        tied[Manager(m)].push_back(bench.IssueToken(TenantKey(i)));
      }
    }
  }
  size_t live = 0;
  for (const auto& [value, tokens] : tied) live += tokens.size();
  std::printf(
      "tenants %d, flags %d, live tokens %zu (issued in %.1f s)\n", tenants,
      flags, live,
      std::chrono::duration<double>(Clock::now() - issue_start).count());

  const std::string sdk =
      Field(bench.Post("/v1/tokens",
                       R"({"role":"sdk","environment":"development"})", 201),
            "token");
  const auto subscribe_start = Clock::now();
  Streams streams(port, sdk, subscribers);
  std::printf(
      "subscribers %d (subscribed in %.1f s), trials %d per scenario\n",
      subscribers,
      std::chrono::duration<double>(Clock::now() - subscribe_start).count(),
      trials);

  Figures tenant, untied, owner;
  int changes = 0;
  for (int t = 0; t < trials; ++t) {
    auto body = [](const std::string& scope, const std::string& value) {
      return R"({"scope":")" + scope + R"(","values":[")" + value +
             R"("],"reason":"bench"})";
    };
    bench.Trial(streams, changes, body("tenant", TenantKey(t)),
                tied[TenantKey(t)], tenant);
    bench.Trial(streams, changes, body("tenant", TenantKey(trials + t)), {},
                untied);
    // A manager limited again re-raises the same 500 tenant epochs; its
    // tokens were revoked by its first trial and are checked again.
    bench.Trial(streams, changes, body("account_owner", Manager(t % kOwners)),
                tied[Manager(t % kOwners)], owner);
  }
  Print("tenant", tenant);
  Print("untied", untied);
  Print("account_owner", owner);
  const double base_a = Percentile(untied.subscribers_ms, 0.5);
  const double base_b = Percentile(untied.returned_ms, 0.5);
  std::printf(
      "ratio to the untied baseline (p50): tenant (a) %.2f (b) %.2f; "
      "account_owner (a) %.2f (b) %.2f\n",
      Percentile(tenant.subscribers_ms, 0.5) / base_a,
      Percentile(tenant.returned_ms, 0.5) / base_b,
      Percentile(owner.subscribers_ms, 0.5) / base_a,
      Percentile(owner.returned_ms, 0.5) / base_b);
  (*app)->Stop();
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return 0;
}

}  // namespace
}  // namespace warden

int main(int argc, char** argv) {
  const int subscribers = argc > 1 ? std::atoi(argv[1]) : 1000;
  const int trials = argc > 2 ? std::atoi(argv[2]) : 20;
  const int tenants = argc > 3 ? std::atoi(argv[3]) : 10'000;
  const int flags = argc > 4 ? std::atoi(argv[4]) : 1'000;
  return warden::Run(subscribers, trials, tenants, flags);
}
