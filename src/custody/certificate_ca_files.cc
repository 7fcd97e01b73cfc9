#include "custody/certificate_ca_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace warden::custody {
namespace {

std::string PathOf(const std::string& dir, const char* name) {
  return (std::filesystem::path(dir) / name).string();
}

// Writes via a temporary file and rename, so a crash leaves old or new.
Status WriteFile(const std::string& path, std::string_view contents,
                 mode_t mode) {
  const std::string temp = path + ".tmp";
  // A leftover temp file keeps its old mode under O_CREAT: fchmod before
  // the first byte, so ca.key is never readable by others, not even briefly.
  const int fd =
      ::open(temp.c_str(),
             O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0) return Unavailable("write " + temp + ": " + std::strerror(errno));
  const bool ok = ::fchmod(fd, mode) == 0 &&
                  ::write(fd, contents.data(), contents.size()) ==
                      static_cast<ssize_t>(contents.size()) &&
                  ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || std::rename(temp.c_str(), path.c_str()) != 0) {
    return Unavailable("write " + path + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Unavailable("read " + path + ": " + std::strerror(errno));
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

Status CheckPrivate(const std::string& path) {
  struct stat info = {};
  if (::stat(path.c_str(), &info) != 0) {
    return Unavailable("stat " + path + ": " + std::strerror(errno));
  }
  if ((info.st_mode & 077) != 0) {
    return FailedPrecondition(path +
                              " is readable by group or others; "
                              "chmod 600");
  }
  return Status::Ok();
}

Status Save(const std::string& dir, const pki::CertificateAuthority& ca) {
  WARDEN_ASSIGN_OR_RETURN(std::string key_pem, ca.PrivateKeyPem());
  WARDEN_RETURN_IF_ERROR(WriteFile(PathOf(dir, kCaKeyFileName), key_pem, 0600));
  return WriteFile(PathOf(dir, kCaCertificateFileName), ca.certificate_pem(),
                   0600);
}

}  // namespace

Result<std::unique_ptr<pki::CertificateAuthority>> LoadOrCreateCa(
    const std::string& data_dir, std::string_view trust_domain, Timestamp now) {
  const std::string cert_path = PathOf(data_dir, kCaCertificateFileName);
  const std::string key_path = PathOf(data_dir, kCaKeyFileName);
  const bool has_cert = std::filesystem::exists(cert_path);
  const bool has_key = std::filesystem::exists(key_path);
  if (!has_cert && !has_key) {
    WARDEN_ASSIGN_OR_RETURN(
        auto ca, pki::CertificateAuthority::Generate(trust_domain, now));
    WARDEN_RETURN_IF_ERROR(Save(data_dir, *ca));
    return ca;
  }
  if (!has_cert || !has_key) {
    return FailedPrecondition("CA files incomplete in " + data_dir +
                              ": need both ca.crt and ca.key");
  }
  WARDEN_RETURN_IF_ERROR(CheckPrivate(key_path));
  WARDEN_ASSIGN_OR_RETURN(std::string cert_pem, ReadFile(cert_path));
  WARDEN_ASSIGN_OR_RETURN(std::string key_pem, ReadFile(key_path));
  return pki::CertificateAuthority::Load(cert_pem, key_pem);
}

Status ImportCa(const std::string& data_dir, std::string_view certificate_pem,
                std::string_view key_pem) {
  WARDEN_ASSIGN_OR_RETURN(
      auto ca, pki::CertificateAuthority::Load(certificate_pem, key_pem));
  // Keep the imported PEM as given (it may carry the chain above it).
  WARDEN_RETURN_IF_ERROR(
      WriteFile(PathOf(data_dir, kCaKeyFileName), key_pem, 0600));
  return WriteFile(PathOf(data_dir, kCaCertificateFileName), certificate_pem,
                   0600);
}

}  // namespace warden::custody
