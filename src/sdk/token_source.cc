// OAuth 2.0 client credentials (RFC 6749 section 4.4) with
// client_secret_basic (section 2.3.1), for the SDK's TokenSource.
#include "warden/token_source.h"

#include <sodium.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include "core/mutex.h"
#include "core/thread_annotations.h"

namespace warden {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using Clock = std::chrono::system_clock;

// A token response is a few hundred bytes; bound what a server can send.
constexpr size_t kMaxResponseBytes = 64 * 1024;

std::string FormEncode(std::string_view text) {
  return boost::urls::encode(text, boost::urls::unreserved_chars);
}

std::string Base64(std::string_view raw) {
  std::string out(
      sodium_base64_ENCODED_LEN(raw.size(), sodium_base64_VARIANT_ORIGINAL),
      '\0');
  sodium_bin2base64(out.data(), out.size(),
                    reinterpret_cast<const unsigned char*>(raw.data()),
                    raw.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

struct Fetched {
  std::string token;
  std::chrono::seconds expires_in{0};
  std::string error;
};

class TokenSourceImpl final : public TokenSource {
 public:
  explicit TokenSourceImpl(TokenSourceOptions options)
      : options_(std::move(options)) {
    if (!options_.now) options_.now = [] { return Clock::now(); };
  }

  std::string Token() override {
    MutexLock lock(mu_);
    const Clock::time_point now = options_.now();
    if (!token_.empty() && now < refresh_at_) return token_;
    Fetched fetched = Fetch();
    ++fetches_;
    if (!fetched.error.empty()) {
      last_error_ = fetched.error;
      return now < expires_at_ ? token_ : std::string();
    }
    last_error_.clear();
    token_ = std::move(fetched.token);
    expires_at_ = now + fetched.expires_in;
    refresh_at_ =
        expires_at_ - std::min(options_.refresh_before, fetched.expires_in / 2);
    return token_;
  }

  void Invalidate() override {
    MutexLock lock(mu_);
    token_.clear();
    expires_at_ = refresh_at_ = Clock::time_point();
  }

  std::string last_error() const override {
    MutexLock lock(mu_);
    return last_error_;
  }

  int fetches() const override {
    MutexLock lock(mu_);
    return fetches_;
  }

 private:
  std::string RequestBody() const {
    std::string body = "grant_type=client_credentials";
    if (!options_.scope.empty()) body += "&scope=" + FormEncode(options_.scope);
    if (!options_.tenant.empty()) {
      body += "&tenant=" + FormEncode(options_.tenant);
    }
    if (!options_.audience.empty()) {
      body += "&audience=" + FormEncode(options_.audience);
    }
    return body;
  }

  Fetched Fetch() const {
    try {
      return FetchOrThrow();
    } catch (const std::exception& e) {
      return {{}, {}, std::string("token request failed: ") + e.what()};
    }
  }

  Fetched FetchOrThrow() const {
    auto url = boost::urls::parse_uri(options_.url);
    if (!url) return {{}, {}, "bad url: " + options_.url};
    net::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.expires_after(options_.timeout);
    net::ip::tcp::resolver resolver(ioc);
    const std::string port = url->has_port() ? std::string(url->port()) : "80";
    stream.connect(resolver.resolve(std::string(url->host()), port));
    http::request<http::string_body> request(http::verb::post, "/oauth/token",
                                             11);
    request.set(http::field::host, std::string(url->host()));
    request.set(http::field::content_type, "application/x-www-form-urlencoded");
    request.set(http::field::authorization,
                "Basic " + Base64(FormEncode(options_.client_id) + ":" +
                                  FormEncode(options_.client_secret)));
    request.body() = RequestBody();
    request.prepare_payload();
    http::write(stream, request);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxResponseBytes);
    http::read(stream, buffer, parser);
    return Parse(parser.get());
  }

  static Fetched Parse(const http::response<http::string_body>& response) {
    boost::system::error_code ec;
    boost::json::value json = boost::json::parse(response.body(), ec);
    if (ec || !json.is_object()) {
      return {
          {},
          {},
          "token endpoint answered " + std::to_string(response.result_int())};
    }
    const boost::json::object& body = json.as_object();
    if (response.result_int() != 200) {
      const auto* error = body.if_contains("error");
      return {
          {},
          {},
          "token endpoint: " + (error && error->is_string()
                                    ? std::string(error->as_string())
                                    : std::to_string(response.result_int()))};
    }
    const auto* token = body.if_contains("access_token");
    const auto* expires = body.if_contains("expires_in");
    if (!token || !token->is_string() || !expires || !expires->is_int64() ||
        expires->as_int64() <= 0) {
      return {{}, {}, "token endpoint: malformed token response"};
    }
    return {std::string(token->as_string()),
            std::chrono::seconds(expires->as_int64()),
            {}};
  }

  TokenSourceOptions options_;                // immutable after construction
  mutable Mutex mu_;                          // also serialises fetches
  std::string token_ WARDEN_GUARDED_BY(mu_);  // SECRET
  Clock::time_point expires_at_ WARDEN_GUARDED_BY(mu_);
  Clock::time_point refresh_at_ WARDEN_GUARDED_BY(mu_);
  std::string last_error_ WARDEN_GUARDED_BY(mu_);
  int fetches_ WARDEN_GUARDED_BY(mu_) = 0;
};

}  // namespace

std::unique_ptr<TokenSource> TokenSource::Create(TokenSourceOptions options) {
  return std::make_unique<TokenSourceImpl>(std::move(options));
}

}  // namespace warden
