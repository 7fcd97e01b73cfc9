#include "outbound/webhook_sender.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace warden::outbound {
namespace {

namespace net = boost::asio;

TEST(WebhookSenderTest, OnlyPlainHttpUrlsWithAHostAreTried) {
  const WebhookSender sender(std::chrono::milliseconds(500));
  for (const char* url :
       {"https://example.test/hook", "ftp://example.test", "http://", "hook"}) {
    EXPECT_EQ(sender.Post(url, {}, "application/json", "{}").code(),
              StatusCode::kInvalidArgument)
        << url;
  }
}

TEST(WebhookSenderTest, UnreachableReceiverIsUnavailable) {
  uint16_t port = 0;
  {
    net::io_context ioc;
    net::ip::tcp::acceptor acceptor(ioc,
                                    {net::ip::make_address("127.0.0.1"), 0});
    port = acceptor.local_endpoint().port();
  }  // closed: nothing listens there now
  const WebhookSender sender(std::chrono::milliseconds(500));
  const Status status =
      sender.Post("http://127.0.0.1:" + std::to_string(port) + "/hook",
                  {{"X-Warden-Event", "test"}}, "application/json", "{}");
  EXPECT_EQ(status.code(), StatusCode::kUnavailable) << status.ToString();
}

}  // namespace
}  // namespace warden::outbound
