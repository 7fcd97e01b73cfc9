#include "server/oidc_setup.h"

#include <sys/stat.h>

#include <cstdio>
#include <fstream>

namespace warden::server {
namespace {

constexpr size_t kMaxSecretBytes = 4096;

}  // namespace

Result<std::string> ReadOidcClientSecret(const std::string& path) {
  const std::string context = "--oidc-client-secret-file '" + path + "': ";
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument(context + "cannot be read");
  std::string secret(kMaxSecretBytes + 1, '\0');
  in.read(secret.data(), static_cast<std::streamsize>(secret.size()));
  secret.resize(static_cast<size_t>(in.gcount()));
  if (secret.size() > kMaxSecretBytes) {
    return InvalidArgument(context + "is larger than 4096 bytes");
  }
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r' ||
                             secret.back() == ' ' || secret.back() == '\t')) {
    secret.pop_back();
  }
  if (secret.empty()) return InvalidArgument(context + "is empty");
  struct stat info {};
  if (stat(path.c_str(), &info) == 0 && (info.st_mode & 0077) != 0) {
    std::fprintf(stderr,
                 "warden serve: %sother users can read it (chmod 600)\n",
                 context.c_str());
  }
  return secret;
}

Result<signin::OidcOptions> ResolveOidcOptions(signin::OidcOptions configured,
                                               const std::string& secret_file,
                                               std::string_view server_url) {
  if (!configured.enabled()) return configured;
  if (configured.client_secret.empty()) {
    if (secret_file.empty()) {
      return InvalidArgument(
          "--oidc-client-secret-file is required with --oidc-issuer");
    }
    WARDEN_ASSIGN_OR_RETURN(configured.client_secret,
                            ReadOidcClientSecret(secret_file));
  }
  if (configured.redirect_uri.empty()) {
    configured.redirect_uri = std::string(server_url) + kOidcCallbackPath;
  }
  WARDEN_RETURN_IF_ERROR(signin::ValidateOidcOptions(configured));
  return configured;
}

}  // namespace warden::server
