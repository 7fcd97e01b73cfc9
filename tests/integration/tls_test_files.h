// Certificates and keys for TLS tests, made with the openssl command line
// (a real CA, a server certificate for 127.0.0.1, client certificates from
// that CA and from an unrelated one).
#ifndef WARDEN_TESTS_INTEGRATION_TLS_TEST_FILES_H_
#define WARDEN_TESTS_INTEGRATION_TLS_TEST_FILES_H_

#include <string>

namespace warden::testing_http {

struct TlsTestFiles {
  std::string dir;
  std::string ca_cert;  // the CA of the server and of `client_*`
  std::string server_cert, server_key;
  std::string client_cert, client_key;      // URI SAN kTlsTestClientUri
  std::string stranger_cert, stranger_key;  // from another CA
};

inline constexpr char kTlsTestClientUri[] = "spiffe://tls.test/workload/client";

// Writes every file into `dir` (which must exist). Returns "" or the
// failing command.
std::string MakeTlsTestFiles(const std::string& dir, TlsTestFiles* out);

// Writes DIR/NAME.pem and DIR/NAME.key: a self-signed P-256 client
// certificate (subject CN=NAME), issued by no CA. Returns "" or the failing
// command.
std::string MakeSelfSignedClient(const std::string& dir,
                                 const std::string& name);

// Replaces the server certificate and key with a new pair from the same
// CA (a different serial). Returns "" or the failing command.
std::string ReissueServerCertificate(const TlsTestFiles& files);

}  // namespace warden::testing_http

#endif  // WARDEN_TESTS_INTEGRATION_TLS_TEST_FILES_H_
