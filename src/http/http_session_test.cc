// HttpSession over loopback, on both read paths (one I/O thread: wait then
// read without blocking; several: Beast's asynchronous read): keep-alive
// and pipelined requests are answered in order, and the read timeout
// closes an idle connection and one that stalls mid-request.
#include "http/http_session.h"

#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "api/bearer_authentication.h"
#include "http/api_exchange.h"
#include "http/metrics.h"
#include "http/router.h"
#include "inventory/access_service.h"
#include "service/service_test_env.h"

namespace warden {
namespace {

namespace net = boost::asio;
using net::ip::tcp;
using std::chrono::milliseconds;

class HttpSessionTest : public ServiceTestEnv,
                        public testing::WithParamInterface<bool> {
 protected:
  void SetUp() override {
    ServiceTestEnv::SetUp();
    access_ = std::make_unique<inventory::AccessService>(*store_, *auditor_);
    bearer_ = std::make_unique<api::BearerAuthentication>(*access_);
    // Handled on the worker for twice the read timeout.
    router_.Add({"GET", "/slow", RouteAccess::kPublic, RouteCost::kBlocking,
                 [](const ApiRequest&) -> Result<ApiResponse> {
                   std::this_thread::sleep_for(milliseconds(600));
                   return JsonResponse(boost::json::object{{"ok", true}});
                 }});
    pipeline_ = std::make_unique<RequestPipeline>(router_, *bearer_, metrics_,
                                                  clock_, workers_);
    acceptor_.open(tcp::v4());
    acceptor_.bind({net::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
    Accept();
    io_thread_ = std::thread([this] { ioc_.run(); });
  }
  void TearDown() override {
    work_.reset();
    ioc_.stop();
    io_thread_.join();
    workers_.join();
    pipeline_.reset();
    bearer_.reset();
    access_.reset();
    ServiceTestEnv::TearDown();
  }

  void Accept() {
    acceptor_.async_accept([this](boost::system::error_code ec,
                                  tcp::socket socket) {
      if (ec) return;
      HttpTimeouts timeouts;
      timeouts.read = milliseconds(300);
      std::make_shared<HttpSession>(std::move(socket), *pipeline_, in_flight_,
                                    /*one_io_thread=*/GetParam(), timeouts)
          ->Run();
      Accept();
    });
  }

  // A blocking client whose reads give up after 5 s (a hang fails).
  tcp::socket Connect() {
    tcp::socket socket(client_ioc_);
    socket.connect(acceptor_.local_endpoint());
    timeval limit{5, 0};
    setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &limit,
               sizeof(limit));
    return socket;
  }
  // Everything until the server closes; `elapsed` is how long that took.
  static std::string ReadToEof(tcp::socket& socket, milliseconds* elapsed) {
    const auto start = std::chrono::steady_clock::now();
    std::string out;
    boost::system::error_code ec;
    net::read(socket, net::dynamic_buffer(out), ec);
    EXPECT_EQ(ec, net::error::eof) << ec.message();
    *elapsed = std::chrono::duration_cast<milliseconds>(
        std::chrono::steady_clock::now() - start);
    return out;
  }
  static size_t Count(const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos;
         at = text.find(what, at + 1)) {
      ++n;
    }
    return n;
  }

  net::io_context ioc_{1};
  net::executor_work_guard<net::io_context::executor_type> work_{
      ioc_.get_executor()};
  net::thread_pool workers_{1};
  net::io_context client_ioc_;
  tcp::acceptor acceptor_{ioc_};
  Router router_;
  Metrics metrics_;
  InFlightRequests in_flight_;
  std::unique_ptr<inventory::AccessService> access_;
  std::unique_ptr<api::BearerAuthentication> bearer_;
  std::unique_ptr<RequestPipeline> pipeline_;
  std::thread io_thread_;
};

constexpr char kRequest[] = "GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n";

TEST_P(HttpSessionTest, PipelinedRequestsAreAnsweredThenIdleTimesOut) {
  tcp::socket client = Connect();
  const std::string three = std::string(kRequest) + kRequest + kRequest;
  net::write(client, net::buffer(three));
  milliseconds elapsed{};
  const std::string replies = ReadToEof(client, &elapsed);
  EXPECT_EQ(Count(replies, "HTTP/1.1 404"), 3u) << replies;
  // Closed by the 300 ms read timeout, not by the client's 5 s limit.
  EXPECT_GE(elapsed.count(), 250);
  EXPECT_LT(elapsed.count(), 3000);
}

TEST_P(HttpSessionTest, StalledRequestIsClosedByTheReadTimeout) {
  tcp::socket client = Connect();
  net::write(client, net::buffer(std::string("GET /nowhere HTTP/1.1\r\nHo")));
  milliseconds elapsed{};
  const std::string replies = ReadToEof(client, &elapsed);
  EXPECT_EQ(replies, "");
  EXPECT_LT(elapsed.count(), 3000);
}

TEST_P(HttpSessionTest, RequestInPiecesIsAnsweredAndKeptAlive) {
  tcp::socket client = Connect();
  const std::string request(kRequest);
  net::write(client, net::buffer(request.substr(0, 10)));
  std::this_thread::sleep_for(milliseconds(50));
  net::write(client, net::buffer(request.substr(10)));
  std::string reply(12, '\0');
  net::read(client, net::buffer(reply));
  EXPECT_EQ(reply, "HTTP/1.1 404");
  client.shutdown(tcp::socket::shutdown_send);
  milliseconds elapsed{};
  ReadToEof(client, &elapsed);
}

// The read timeout covers waiting for a request, not handling it: a request
// that arrives late in the idle window and takes longer than the timeout to
// handle still gets its answer.
TEST_P(HttpSessionTest, ReadTimeoutDoesNotCloseARequestBeingHandled) {
  tcp::socket client = Connect();
  std::this_thread::sleep_for(milliseconds(200));
  net::write(client,
             net::buffer(std::string("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n")));
  std::string reply(12, '\0');
  boost::system::error_code ec;
  net::read(client, net::buffer(reply), ec);
  EXPECT_FALSE(ec) << ec.message();
  EXPECT_EQ(reply, "HTTP/1.1 200");
}

TEST_P(HttpSessionTest, MalformedRequestIs400AndClosed) {
  tcp::socket client = Connect();
  net::write(client, net::buffer(std::string("NOT HTTP AT ALL\r\n\r\n")));
  milliseconds elapsed{};
  const std::string reply = ReadToEof(client, &elapsed);
  EXPECT_EQ(reply.rfind("HTTP/1.1 400", 0), 0u) << reply;
  EXPECT_NE(reply.find("Connection: close"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(ReadPaths, HttpSessionTest, testing::Bool(),
                         [](const testing::TestParamInfo<bool>& info) {
                           return info.param ? "OneIoThread" : "AsyncRead";
                         });

}  // namespace
}  // namespace warden
