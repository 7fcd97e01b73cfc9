// Helpers for the OAuth integration tests: a fixture that registers an
// identity with a client secret, form bodies, Basic headers and token
// introspection over HTTP.
#ifndef WARDEN_TESTS_INTEGRATION_OAUTH_TEST_SUPPORT_H_
#define WARDEN_TESTS_INTEGRATION_OAUTH_TEST_SUPPORT_H_

#include <sodium.h>

#include <string>
#include <utility>
#include <vector>

#include "server_fixture.h"

namespace warden::testing_http {

using Headers = std::vector<std::pair<std::string, std::string>>;

inline Headers FormHeaders() {
  return {{"Content-Type", "application/x-www-form-urlencoded"}};
}

inline Headers BasicHeaders(const std::string& id, const std::string& secret) {
  const std::string raw = id + ":" + secret;
  std::string encoded(
      sodium_base64_ENCODED_LEN(raw.size(), sodium_base64_VARIANT_ORIGINAL),
      '\0');
  sodium_bin2base64(encoded.data(), encoded.size(),
                    reinterpret_cast<const unsigned char*>(raw.data()),
                    raw.size(), sodium_base64_VARIANT_ORIGINAL);
  encoded.resize(std::strlen(encoded.c_str()));
  Headers headers = FormHeaders();
  headers.emplace_back("Authorization", "Basic " + encoded);
  return headers;
}

class OAuthFixture : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    CreateTeam("payments");
    identity_ = CreateIdentity("checkout-worker", "payments", "production");
    id_ = std::string(identity_.at("id").as_string());
    secret_ = RegisterSecret(id_);
  }

  std::string RegisterSecret(const std::string& id, int overlap = 3600) {
    HttpReply reply =
        client_->Post("/v1/identities/" + id + "/credentials", admin_token_,
                      boost::json::object{{"method", "client_secret"},
                                          {"overlap_seconds", overlap}});
    EXPECT_EQ(reply.status, 201) << reply.body;
    if (reply.status != 201) return {};
    return std::string(reply.json().at("client_secret").as_string());
  }

  HttpReply RequestToken(const std::string& id, const std::string& secret,
                         const std::string& extra = {}) {
    return client_->Send("POST", "/oauth/token", {},
                         "grant_type=client_credentials" + extra,
                         BasicHeaders(id, secret));
  }

  std::string Token(const std::string& extra = {}) {
    HttpReply reply = RequestToken(id_, secret_, extra);
    EXPECT_EQ(reply.status, 200) << reply.body;
    if (reply.status != 200) return {};
    return std::string(reply.json().at("access_token").as_string());
  }

  // RFC 7662 "active", asked by the admin API token.
  bool Active(const std::string& token) {
    HttpReply reply = client_->Send("POST", "/oauth/introspect", admin_token_,
                                    "token=" + token, FormHeaders());
    EXPECT_EQ(reply.status, 200) << reply.body;
    if (reply.status != 200) return false;
    return reply.json().at("active").as_bool();
  }

  boost::json::object identity_;
  std::string id_;
  std::string secret_;
};

}  // namespace warden::testing_http

#endif  // WARDEN_TESTS_INTEGRATION_OAUTH_TEST_SUPPORT_H_
