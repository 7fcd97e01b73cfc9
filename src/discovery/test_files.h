// Test-only: a temporary directory that a scanner test fills with fixture
// files and removes on destruction. Header-only.
#ifndef WARDEN_DISCOVERY_TEST_FILES_H_
#define WARDEN_DISCOVERY_TEST_FILES_H_

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace warden::discovery::testing {

class TestDirectory {
 public:
  TestDirectory() {
    std::string pattern = ::testing::TempDir() + "warden_scan_XXXXXX";
    root_ = mkdtemp(pattern.data());
  }
  ~TestDirectory() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  TestDirectory(const TestDirectory&) = delete;
  TestDirectory& operator=(const TestDirectory&) = delete;

  const std::filesystem::path& root() const { return root_; }

  // Writes `content` to root/relative (creating folders); returns the path.
  std::filesystem::path Write(std::string_view relative,
                              std::string_view content) const {
    const std::filesystem::path path = root_ / relative;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary)
        .write(content.data(), static_cast<std::streamsize>(content.size()));
    return path;
  }

 private:
  std::filesystem::path root_;
};

}  // namespace warden::discovery::testing

#endif  // WARDEN_DISCOVERY_TEST_FILES_H_
