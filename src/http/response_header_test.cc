#include "http/response_header.h"

#include <gtest/gtest.h>

namespace warden {
namespace {

TEST(ResponseHeaderTest, JsonAnswerOnAKeptAliveConnection) {
  ApiResponse response;
  response.headers.emplace_back("X-Request-Id", "abc");
  std::string out = "stale content from the previous request";
  RenderResponseHeader(response, /*keep_alive=*/true, 42, &out);
  EXPECT_EQ(out,
            "HTTP/1.1 200 OK\r\nServer: warden\r\n"
            "Content-Type: application/json\r\nX-Request-Id: abc\r\n"
            "Content-Length: 42\r\n\r\n");
}

TEST(ResponseHeaderTest, CloseAndNoContentType) {
  ApiResponse response;
  response.status = 429;
  response.content_type.clear();
  response.headers.emplace_back("Retry-After", "3");
  std::string out;
  RenderResponseHeader(response, /*keep_alive=*/false, 0, &out);
  EXPECT_EQ(out,
            "HTTP/1.1 429 Too Many Requests\r\nServer: warden\r\n"
            "Retry-After: 3\r\nContent-Length: 0\r\nConnection: close\r\n"
            "\r\n");
}

TEST(ResponseHeaderTest, NoContentLengthFor204And304) {
  for (int status : {204, 304}) {
    ApiResponse response;
    response.status = status;
    std::string out;
    RenderResponseHeader(response, true, 0, &out);
    EXPECT_EQ(out.find("Content-Length"), std::string::npos) << out;
    EXPECT_FALSE(ResponseHasContent(status));
  }
  EXPECT_FALSE(ResponseHasContent(101));
  EXPECT_TRUE(ResponseHasContent(200));
  EXPECT_TRUE(ResponseHasContent(404));
}

TEST(ResponseHeaderTest, LineBreaksInFieldsCannotSplitTheHeader) {
  ApiResponse response;
  response.headers.emplace_back("ETag", "\"x\"\r\nSet-Cookie: a=b");
  response.headers.emplace_back("X-Bad\nName", "v");
  std::string out;
  RenderResponseHeader(response, true, 0, &out);
  EXPECT_NE(out.find("ETag: \"x\"  Set-Cookie: a=b\r\n"), std::string::npos)
      << out;
  EXPECT_NE(out.find("X-Bad Name: v\r\n"), std::string::npos) << out;
  EXPECT_EQ(out.find("\r\nSet-Cookie"), std::string::npos) << out;
}

}  // namespace
}  // namespace warden
