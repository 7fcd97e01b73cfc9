// Issue 16: the OAuth API from the command line, against a real `warden
// serve`: an identity's client credentials (a client_secret that then
// obtains a token with curl; a private_key_jwt JWKS checked locally first),
// its gating flags and used scopes, the trusted issuers of token exchange,
// signing key rotation; and what a bare `warden` prints.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>

#include "warden_process.h"

namespace warden::testing_cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr int kExitUsage = 1;
constexpr int kExitInvalidInput = 5;

// RFC 8037 appendix A.2: an Ed25519 public key.
constexpr char kPublicX[] = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
// RFC 8037 appendix A.1: the private part of that key.
constexpr char kPrivateD[] = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A";

std::string PublicJwk(const std::string& kid) {
  return R"({"kty": "OKP", "crv": "Ed25519", "use": "sig", "alg": "EdDSA",
             "kid": ")" +
         kid + R"(", "x": ")" + kPublicX + R"("})";
}

boost::json::value Json(const std::string& text) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(text, ec);
  return ec ? boost::json::value() : value;
}

class OAuthCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    server_ = ServerProcess::Start(tmp_.path() + "/data", &error);
    ASSERT_NE(server_, nullptr) << error;
    ASSERT_EQ(Warden({"team", "add", "payments"}).exit_code, 0);
    CommandResult added = Warden(
        {"-o", "json", "identity", "add", "--name", "api", "--kind", "workload",
         "--owner", "payments", "--application", "checkout", "--environment",
         "development", "--expires-in", "30d", "--scope", "orders:read"});
    ASSERT_EQ(added.exit_code, 0) << added.err;
    id_ = std::string(Json(added.out).at("id").as_string());
  }
  void TearDown() override {
    if (server_) {
      EXPECT_EQ(server_->Stop(), 0) << server_->Output();
    }
  }
  CommandResult Warden(std::vector<std::string> args) {
    args.insert(args.begin(), {"--server", server_->url(), "--token",
                               server_->admin_token()});
    return RunWarden(args);
  }
  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = tmp_.path() + "/" + name;
    std::ofstream(path) << text;
    return path;
  }
  CommandResult RegisterJwks(const std::string& path) {
    return Warden({"identity", "credentials", id_, "--method",
                   "private_key_jwt", "--jwks", path});
  }

  TempDir tmp_;
  std::unique_ptr<ServerProcess> server_;
  std::string id_;
};

TEST_F(OAuthCliTest, ClientSecretIsPrintedOnceAndObtainsAToken) {
  CommandResult issued = Warden({"-o", "json", "identity", "credentials", id_,
                                 "--method", "client_secret"});
  ASSERT_EQ(issued.exit_code, 0) << issued.err;
  const boost::json::value answer = Json(issued.out);
  ASSERT_TRUE(answer.is_object()) << issued.out;
  EXPECT_EQ(answer.at("client_id").as_string(), id_);
  const std::string secret(answer.at("client_secret").as_string());
  ASSERT_FALSE(secret.empty());
  const std::string curl = "curl -sf -o /dev/null -u " + id_ + ":" + secret +
                           " -d grant_type=client_credentials " +
                           server_->url() + "/oauth/token";
  EXPECT_EQ(std::system(curl.c_str()), 0);

  // Rotating in table form: the secret on stdout, the warning on stderr,
  // and the previous secret's end as an instant, not microseconds.
  CommandResult rotated = Warden({"identity", "credentials", id_, "--method",
                                  "client_secret", "--overlap", "60"});
  ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
  EXPECT_THAT(rotated.out, HasSubstr("client_secret"));
  EXPECT_THAT(rotated.out, HasSubstr("previous_secret_valid_until"));
  EXPECT_THAT(rotated.out, Not(HasSubstr("valid_until_us")));
  EXPECT_THAT(rotated.out, Not(HasSubstr(secret)));
  EXPECT_THAT(rotated.err, HasSubstr("shown once"));
  // The secret never appears in what the server logged.
  EXPECT_THAT(server_->Output(), Not(HasSubstr(secret)));
}

TEST_F(OAuthCliTest, PrivateKeyJwtRegistersAValidJwks) {
  const std::string jwks =
      Write("keys.json", R"({"keys": [)" + PublicJwk("k1") + "]}");
  CommandResult registered = RegisterJwks(jwks);
  ASSERT_EQ(registered.exit_code, 0) << registered.err;
  EXPECT_THAT(registered.out, HasSubstr("private_key_jwt"));
  EXPECT_THAT(registered.out, Not(HasSubstr("client_secret")));
}

TEST_F(OAuthCliTest, BadJwksFilesFailLocallyWithTheReason) {
  struct Case {
    std::string path;
    std::string message;
  };
  const std::vector<Case> cases = {
      {tmp_.path() + "/missing.json",
       "cannot read " + tmp_.path() +
           "/missing.json: No such file or directory"},
      {Write("broken.json", R"({"keys": [)"), "not valid JSON"},
      {Write("private.json", R"({"keys": [{"kty": "OKP", "crv": "Ed25519",
          "kid": "k1", "x": ")" + std::string(kPublicX) +
                                 R"(", "d": ")" + kPrivateD + R"("}]})"),
       "keys[0] holds a private key"},
      {Write("single.json", PublicJwk("k1")), "wrap it as {\"keys\": [...]}"},
      {Write("rsa.json", R"({"keys": [{"kty": "RSA", "kid": "r",
          "n": "AQAB", "e": "AQAB"}]})"),
       "no Ed25519 or P-256 signature key"},
      {Write("duplicate.json",
             R"({"keys": [)" + PublicJwk("k1") + "," + PublicJwk("k1") + "]}"),
       "is not unique"},
      {tmp_.path(), "Is a directory"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.path);
    CommandResult r = RegisterJwks(c.path);
    EXPECT_EQ(r.exit_code, kExitInvalidInput) << r.out << r.err;
    EXPECT_THAT(r.err, HasSubstr(c.message));
    EXPECT_THAT(r.err, HasSubstr("error: "));
  }
  // Nothing was registered: the identity has no client credentials yet.
  CommandResult no_jwks =
      Warden({"identity", "credentials", id_, "--method", "private_key_jwt"});
  EXPECT_EQ(no_jwks.exit_code, kExitInvalidInput);
  EXPECT_THAT(no_jwks.err, HasSubstr("needs --jwks FILE"));
  CommandResult mixed = Warden({"identity", "credentials", id_, "--method",
                                "client_secret", "--jwks", "x.json"});
  EXPECT_EQ(mixed.exit_code, kExitInvalidInput);
  CommandResult unknown =
      Warden({"identity", "credentials", id_, "--method", "password"});
  EXPECT_EQ(unknown.exit_code, kExitUsage);
}

TEST_F(OAuthCliTest, MutualTlsMethodsRegisterByNameOrCertificate) {
  CommandResult pki =
      Warden({"identity", "credentials", id_, "--method", "tls_client_auth",
              "--san-uri", "spiffe://warden.local/ns/development/sa/api"});
  ASSERT_EQ(pki.exit_code, 0) << pki.err;
  EXPECT_THAT(pki.out, HasSubstr("tls_client_auth"));

  const std::string dir = tmp_.path();
  ASSERT_EQ(std::system(("openssl req -x509 -newkey ec -pkeyopt "
                         "ec_paramgen_curve:P-256 -nodes -keyout '" +
                         dir + "/self.key' -out '" + dir +
                         "/self.pem' -days 1 -subj /CN=self >/dev/null 2>&1")
                            .c_str()),
            0);
  CommandResult self = Warden({"identity", "credentials", id_, "--method",
                               "self_signed_tls_client_auth", "--certificate",
                               dir + "/self.pem"});
  ASSERT_EQ(self.exit_code, 0) << self.err;
  EXPECT_THAT(self.out, HasSubstr("self_signed_tls_client_auth"));

  // Mistakes fail locally, naming the flag or the file.
  for (const auto& [args, message] :
       std::vector<std::pair<std::vector<std::string>, std::string>>{
           {{"--method", "tls_client_auth"}, "needs exactly one of"},
           {{"--method", "tls_client_auth", "--san-uri", "a", "--san-dns", "b"},
            "needs exactly one of"},
           {{"--method", "client_secret", "--san-dns", "b"},
            "--san-dns is for --method tls_client_auth"},
           {{"--method", "self_signed_tls_client_auth"}, "--certificate FILE"},
           {{"--method", "self_signed_tls_client_auth", "--certificate",
             dir + "/self.key"},
            "no PEM certificate"},
           {{"--method", "tls_client_auth", "--san-uri", "a", "--certificate",
             dir + "/self.pem"},
            "--certificate is for"}}) {
    std::vector<std::string> command = {"identity", "credentials", id_};
    command.insert(command.end(), args.begin(), args.end());
    CommandResult r = Warden(command);
    EXPECT_EQ(r.exit_code, kExitInvalidInput) << r.out << r.err;
    EXPECT_THAT(r.err, HasSubstr(message));
  }
  // The server's own check: an IP SAN must be an address.
  CommandResult bad_ip = Warden({"identity", "credentials", id_, "--method",
                                 "tls_client_auth", "--san-ip", "host"});
  EXPECT_NE(bad_ip.exit_code, 0);
  EXPECT_THAT(bad_ip.err, HasSubstr("not an IPv4 or IPv6 address"));
}

TEST_F(OAuthCliTest, GatingFlagsAndScopesUsed) {
  CommandResult set =
      Warden({"identity", "gating-flags", "set", id_, "new-checkout", "beta"});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  EXPECT_EQ(set.out, "beta\nnew-checkout\n");
  CommandResult get =
      Warden({"-o", "json", "identity", "gating-flags", "get", id_});
  ASSERT_EQ(get.exit_code, 0) << get.err;
  EXPECT_EQ(Json(get.out), Json(R"({"flags": ["beta", "new-checkout"]})"));
  CommandResult cleared =
      Warden({"identity", "gating-flags", "set", id_, "--none"});
  ASSERT_EQ(cleared.exit_code, 0) << cleared.err;
  EXPECT_EQ(cleared.out, "");
  EXPECT_THAT(cleared.err, HasSubstr("no gating flags"));
  EXPECT_EQ(Warden({"identity", "gating-flags", "set", id_}).exit_code,
            kExitInvalidInput);
  EXPECT_EQ(
      Warden({"identity", "gating-flags", "get", "no-such-identity"}).exit_code,
      2);

  CommandResult scopes = Warden({"-o", "json", "identity", "scopes-used", id_});
  ASSERT_EQ(scopes.exit_code, 0) << scopes.err;
  EXPECT_TRUE(Json(scopes.out).at("items").as_array().empty()) << scopes.out;
  CommandResult table = Warden({"identity", "scopes-used", id_});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, HasSubstr("SCOPE"));
}

TEST_F(OAuthCliTest, TrustedIssuersSetAndShow) {
  const std::string document =
      R"([{"issuer": "https://ci.example", "audience": "warden",
           "jwks": {"keys": [)" +
      PublicJwk("ci-1") + R"(]},
           "rules": [{"claims": {"repository": "acme/checkout"},
                      "identity": "api"}]}])";
  CommandResult set = Warden(
      {"oauth", "trusted-issuers", "set", Write("issuers.json", document)});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  EXPECT_THAT(set.out, HasSubstr("https://ci.example"));
  EXPECT_THAT(set.out, HasSubstr("inline"));
  CommandResult shown = Warden({"-o", "json", "oauth", "trusted-issuers"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_EQ(Json(shown.out), Json(document));
  CommandResult get = Warden({"oauth", "trusted-issuers", "get"});
  EXPECT_THAT(get.out, HasSubstr("ISSUER"));
}

TEST_F(OAuthCliTest, BadTrustedIssuerDocumentsFailWithTheReason) {
  struct Case {
    std::string path;
    std::string message;
  };
  const std::vector<Case> cases = {
      {tmp_.path() + "/missing.json", "No such file or directory"},
      {Write("broken.json", "[{"), "not JSON"},
      {Write("object.json", R"({"issuer": "x"})"), "must be a JSON array"},
      {Write("noissuer.json", R"([{"audience": "x"}])"),
       "[0] must be an object with an \"issuer\""},
      // Shape fine, keys refused by the server, which names the entry.
      {Write("badkeys.json",
             R"([{"issuer": "https://ci.example", "audience": "warden",
                 "jwks": {"keys": [{"kty": "OKP"}]}, "rules": []}])"),
       "trusted_issuers[0]: jwks: keys[0]"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.path);
    CommandResult r = Warden({"oauth", "trusted-issuers", "set", c.path});
    EXPECT_EQ(r.exit_code, kExitInvalidInput) << r.out << r.err;
    EXPECT_THAT(r.err, HasSubstr(c.message));
  }
  CommandResult shown = Warden({"-o", "json", "oauth", "trusted-issuers"});
  EXPECT_EQ(Json(shown.out), Json("[]")) << shown.out;
}

TEST_F(OAuthCliTest, RotateKeysPrintsTheNewKeySet) {
  CommandResult rotated = Warden({"-o", "json", "oauth", "rotate-keys"});
  ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
  EXPECT_FALSE(Json(rotated.out).at("keys").as_array().empty());
  CommandResult table = Warden({"oauth", "rotate-keys"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, HasSubstr("KID"));
}

// Issue 16: what a token is bound to, from the CLI (GET /v1/session).
TEST_F(OAuthCliTest, TokenWhoamiShowsAnSdkTokensBinding) {
  CommandResult created =
      Warden({"token", "create", "--role", "sdk", "--env", "staging"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const std::string sdk = created.out.substr(0, created.out.find('\n'));
  CommandResult whoami = RunWarden({"--server", server_->url(), "--token", sdk,
                                    "-o", "json", "token", "whoami"});
  ASSERT_EQ(whoami.exit_code, 0) << whoami.err;
  EXPECT_EQ(Json(whoami.out).at("role").as_string(), "sdk");
  EXPECT_EQ(Json(whoami.out).at("environment").as_string(), "staging");
  EXPECT_TRUE(Json(whoami.out).at("tenant").is_null());
  CommandResult table = Warden({"token", "whoami"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, HasSubstr("admin"));
}

// Issue 16: a bare `warden` lists the commands (exit 1: no command is a
// usage error, as for git); so does an area without its verb.
TEST(BareWardenTest, PrintsTheCommandListAndExitsOne) {
  CommandResult bare = RunWarden({});
  EXPECT_EQ(bare.exit_code, kExitUsage);
  EXPECT_EQ(bare.out, "");
  EXPECT_THAT(bare.err, HasSubstr("usage: warden"));
  EXPECT_THAT(bare.err, HasSubstr("\n  identity"));
  EXPECT_THAT(bare.err, HasSubstr("manage non-human identities"));
  EXPECT_THAT(bare.err, HasSubstr("\n  oauth"));
  EXPECT_THAT(bare.err, HasSubstr("\n  serve"));
  EXPECT_THAT(bare.err, Not(HasSubstr("A subcommand is required")));

  CommandResult area = RunWarden({"identity"});
  EXPECT_EQ(area.exit_code, kExitUsage);
  EXPECT_THAT(area.err, HasSubstr("usage: warden identity <command>"));
  EXPECT_THAT(area.err, HasSubstr("\n  credentials"));
  EXPECT_THAT(area.err, HasSubstr("\n  gating-flags"));

  CommandResult bogus = RunWarden({"bogus"});
  EXPECT_EQ(bogus.exit_code, kExitUsage);
  EXPECT_THAT(bogus.err, HasSubstr("unexpected argument \"bogus\""));
  EXPECT_THAT(bogus.err, HasSubstr("\n  identity"));

  CommandResult help = RunWarden({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("oauth"));
  // A missing option is still CLI11's message, not the list.
  CommandResult missing = RunWarden({"identity", "credentials", "x"});
  EXPECT_EQ(missing.exit_code, kExitUsage);
  EXPECT_THAT(missing.err, HasSubstr("--method is required"));
}

}  // namespace
}  // namespace warden::testing_cli
