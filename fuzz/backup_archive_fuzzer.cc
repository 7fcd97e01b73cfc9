// libFuzzer target: the backup file reader (server/backup_archive.h), which
// `warden restore IN` runs on a file from anywhere, and the manifest parser
// on its own. Invariants: an accepted backup handed the sink exactly the
// files its manifest lists, with those sizes and digests, each begun and
// ended once; an accepted manifest encodes and parses back to itself.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <sstream>
#include <string>
#include <string_view>

#include "core/crypto.h"
#include "server/backup_archive.h"

namespace {

using warden::Status;
using warden::server::BackupEntry;
using warden::server::BackupManifest;

class CheckingSink final : public warden::server::BackupEntrySink {
 public:
  Status Begin(const BackupEntry& entry) override {
    if (open_) std::abort();
    open_ = true;
    current_ = entry.name;
    expected_ = entry.size;
    bytes_[current_].clear();
    return Status::Ok();
  }
  Status Write(std::string_view bytes) override {
    if (!open_) std::abort();
    bytes_[current_].append(bytes);
    if (static_cast<int64_t>(bytes_[current_].size()) > expected_) {
      std::abort();
    }
    return Status::Ok();
  }
  Status End(const BackupEntry& entry) override {
    if (!open_ || entry.name != current_ ||
        static_cast<int64_t>(bytes_[current_].size()) != expected_ ||
        entry.sha256 != warden::Sha256Hex(bytes_[current_])) {
      std::abort();
    }
    open_ = false;
    return Status::Ok();
  }
  void CheckAgainst(const BackupManifest& manifest) const {
    if (open_ || manifest.files.size() != bytes_.size()) std::abort();
    for (const BackupEntry& entry : manifest.files) {
      auto it = bytes_.find(entry.name);
      if (it == bytes_.end() ||
          static_cast<int64_t>(it->second.size()) != entry.size ||
          warden::Sha256Hex(it->second) != entry.sha256) {
        std::abort();
      }
    }
  }

 private:
  bool open_ = false;
  std::string current_;
  int64_t expected_ = 0;
  std::map<std::string, std::string> bytes_;
};

void CheckManifestRoundTrip(std::string_view text) {
  auto manifest = warden::server::ParseBackupManifest(text);
  if (!manifest.ok()) return;
  const std::string encoded = warden::server::EncodeBackupManifest(*manifest);
  auto again = warden::server::ParseBackupManifest(encoded);
  if (!again.ok() || warden::server::EncodeBackupManifest(*again) != encoded) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool initialised = warden::InitCrypto().ok();
  if (!initialised) std::abort();
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::istringstream in(text);
  CheckingSink sink;
  auto manifest = warden::server::ReadBackupArchive(in, sink);
  if (manifest.ok()) sink.CheckAgainst(*manifest);
  CheckManifestRoundTrip(text);
  return 0;
}
