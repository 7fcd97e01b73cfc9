// Listener limits: the connection cap answers 503 with
// Retry-After and frees its slots when connections close, and accept
// backs off instead of spinning when the process is out of descriptors.
#include "http/listener.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "api/bearer_authentication.h"
#include "http/metrics.h"
#include "http/router.h"
#include "inventory/access_service.h"
#include "service/service_test_env.h"

namespace warden {
namespace {

namespace net = boost::asio;
using net::ip::tcp;
using std::chrono::milliseconds;

constexpr char kRequest[] = "GET /ok HTTP/1.1\r\nHost: t\r\n\r\n";

class ListenerTest : public ServiceTestEnv {
 protected:
  void SetUp() override {
    ServiceTestEnv::SetUp();
    access_ = std::make_unique<inventory::AccessService>(*store_, *auditor_);
    bearer_ = std::make_unique<api::BearerAuthentication>(*access_);
    router_.Add({"GET", "/ok", RouteAccess::kPublic, RouteCost::kInline,
                 [](const ApiRequest&) -> Result<ApiResponse> {
                   return JsonResponse(boost::json::object{{"ok", true}});
                 }});
    pipeline_ = std::make_unique<RequestPipeline>(router_, *bearer_, metrics_,
                                                  clock_, workers_);
    auto listener =
        Listener::Open(ioc_, {net::ip::make_address("127.0.0.1"), 0},
                       *pipeline_, in_flight_, connections_, true);
    ASSERT_TRUE(listener.ok()) << listener.status().ToString();
    listener_ = *listener;
    listener_->Run();
    io_thread_ = std::thread([this] { ioc_.run(); });
  }
  void TearDown() override {
    listener_->Close();
    work_.reset();
    ioc_.stop();
    io_thread_.join();
    workers_.join();
    listener_.reset();
    pipeline_.reset();
    bearer_.reset();
    access_.reset();
    ServiceTestEnv::TearDown();
  }

  // A blocking client whose reads give up after 5 s (a hang fails).
  tcp::socket Connect() {
    tcp::socket socket(client_ioc_);
    socket.connect(listener_->local_endpoint());
    timeval limit{5, 0};
    setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &limit,
               sizeof(limit));
    return socket;
  }
  // One request; the status line and headers of the answer ("" on error).
  static std::string Ask(tcp::socket& socket) {
    boost::system::error_code ec;
    net::write(socket, net::buffer(std::string(kRequest)), ec);
    std::string head;
    if (!ec) net::read_until(socket, net::dynamic_buffer(head), "\r\n\r\n", ec);
    return ec ? std::string() : head;
  }

  ConnectionLimit connections_{2};
  net::io_context ioc_{1};
  net::executor_work_guard<net::io_context::executor_type> work_{
      ioc_.get_executor()};
  net::thread_pool workers_{1};
  net::io_context client_ioc_;
  Router router_;
  Metrics metrics_;
  InFlightRequests in_flight_;
  std::unique_ptr<inventory::AccessService> access_;
  std::unique_ptr<api::BearerAuthentication> bearer_;
  std::unique_ptr<RequestPipeline> pipeline_;
  std::shared_ptr<Listener> listener_;
  std::thread io_thread_;
};

TEST_F(ListenerTest, OverTheConnectionCapIs503WithRetryAfter) {
  tcp::socket first = Connect();
  tcp::socket second = Connect();
  EXPECT_EQ(Ask(first).rfind("HTTP/1.1 200", 0), 0u);
  EXPECT_EQ(Ask(second).rfind("HTTP/1.1 200", 0), 0u);
  EXPECT_EQ(connections_.open(), 2u);

  tcp::socket third = Connect();
  const std::string refused = Ask(third);
  EXPECT_EQ(refused.rfind("HTTP/1.1 503", 0), 0u) << refused;
  EXPECT_NE(refused.find("Retry-After: 5"), std::string::npos) << refused;
  EXPECT_NE(refused.find("Connection: close"), std::string::npos) << refused;

  // A closed connection gives its slot back.
  first.close();
  std::string served;
  for (int i = 0; i < 100 && served.rfind("HTTP/1.1 200", 0) != 0; ++i) {
    std::this_thread::sleep_for(milliseconds(20));
    tcp::socket again = Connect();
    served = Ask(again);
  }
  EXPECT_EQ(served.rfind("HTTP/1.1 200", 0), 0u) << served;
}

// Out of descriptors, a pending connection cannot be accepted until one is
// freed; retrying at once only spins. Descriptors are exhausted under a low
// RLIMIT_NOFILE with the client socket already made.
TEST_F(ListenerTest, AcceptBacksOffWhenOutOfDescriptors) {
  tcp::socket client(client_ioc_);
  client.open(tcp::v4());
  rlimit saved{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &saved), 0);
  rlimit low = saved;
  low.rlim_cur = 256;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);
  std::vector<int> fillers;
  for (int fd = ::open("/dev/null", O_RDONLY); fd >= 0;
       fd = ::open("/dev/null", O_RDONLY)) {
    fillers.push_back(fd);
  }
  const uint64_t before = listener_->accept_failures();
  client.connect(listener_->local_endpoint());  // completes in the backlog
  std::this_thread::sleep_for(milliseconds(600));
  const uint64_t failures = listener_->accept_failures() - before;

  for (int fd : fillers) ::close(fd);
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &saved), 0);
  // Backing off from 10 ms, doubling: a handful of attempts, not thousands.
  EXPECT_GE(failures, 1u);
  EXPECT_LE(failures, 10u);
  // Once descriptors are free the waiting connection is served.
  timeval limit{5, 0};
  setsockopt(client.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &limit,
             sizeof(limit));
  EXPECT_EQ(Ask(client).rfind("HTTP/1.1 200", 0), 0u);
}

}  // namespace
}  // namespace warden
