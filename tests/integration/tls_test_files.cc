#include "tls_test_files.h"

#include <cstdlib>
#include <fstream>

namespace warden::testing_http {
namespace {

constexpr char kEcKey[] = "-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes";

std::string Run(const std::string& dir, const std::string& command) {
  const std::string line =
      "cd '" + dir + "' && " + command + " >/dev/null 2>&1";
  return std::system(line.c_str()) == 0 ? "" : command;
}

std::string MakeCa(const std::string& dir, const std::string& name) {
  return Run(dir, std::string("openssl req -x509 ") + kEcKey + " -keyout " +
                      name + ".key -out " + name +
                      ".pem -days 2 -subj '/CN=" + name +
                      "' -addext basicConstraints=critical,CA:TRUE "
                      "-addext keyUsage=critical,keyCertSign,cRLSign");
}

// A leaf signed by CA `ca` with the extensions in `extensions`.
std::string MakeLeaf(const std::string& dir, const std::string& ca,
                     const std::string& name, const std::string& extensions) {
  {
    std::ofstream ext(dir + "/" + name + ".ext");
    ext << extensions << "\n";
  }
  std::string failed =
      Run(dir, std::string("openssl req -new ") + kEcKey + " -keyout " + name +
                   ".key -out " + name + ".csr -subj '/CN=" + name + "'");
  if (!failed.empty()) return failed;
  return Run(dir, "openssl x509 -req -in " + name + ".csr -CA " + ca +
                      ".pem -CAkey " + ca + ".key -CAcreateserial -out " +
                      name + ".pem -days 1 -extfile " + name + ".ext");
}

}  // namespace

std::string MakeTlsTestFiles(const std::string& dir, TlsTestFiles* out) {
  out->dir = dir;
  out->ca_cert = dir + "/ca.pem";
  out->server_cert = dir + "/server.pem";
  out->server_key = dir + "/server.key";
  out->client_cert = dir + "/client.pem";
  out->client_key = dir + "/client.key";
  out->stranger_cert = dir + "/stranger.pem";
  out->stranger_key = dir + "/stranger.key";
  for (const std::string& failed :
       {MakeCa(dir, "ca"), MakeCa(dir, "otherca"),
        ReissueServerCertificate(*out),
        MakeLeaf(dir, "ca", "client",
                 std::string("subjectAltName=URI:") + kTlsTestClientUri +
                     "\nextendedKeyUsage=clientAuth"),
        MakeLeaf(dir, "otherca", "stranger",
                 "subjectAltName=URI:spiffe://elsewhere/x\n"
                 "extendedKeyUsage=clientAuth")}) {
    if (!failed.empty()) return failed;
  }
  return "";
}

std::string MakeSelfSignedClient(const std::string& dir,
                                 const std::string& name) {
  return Run(dir, std::string("openssl req -x509 ") + kEcKey + " -keyout " +
                      name + ".key -out " + name + ".pem -days 1 -subj '/CN=" +
                      name + "' -addext extendedKeyUsage=clientAuth");
}

std::string ReissueServerCertificate(const TlsTestFiles& files) {
  return MakeLeaf(files.dir, "ca", "server",
                  "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                  "extendedKeyUsage=serverAuth");
}

}  // namespace warden::testing_http
