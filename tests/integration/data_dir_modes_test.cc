// Every file in the data dir (database, -wal, -shm, keys,
// tokens, the CA) is created 0600 whatever the umask, the directory is
// 0700, and an existing looser directory and database are tightened.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "http_client.h"
#include "server/server_app.h"

namespace warden::testing_http {
namespace {

namespace fs = std::filesystem;

class DataDirModesTest : public testing::TestWithParam<mode_t> {
 protected:
  void SetUp() override {
    std::string tmpl = testing::TempDir() + "warden-modes-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    root_ = tmpl;
    data_dir_ = root_ + "/data";
    saved_umask_ = ::umask(GetParam());
  }
  void TearDown() override {
    if (app_) app_->Stop();
    app_.reset();
    ::umask(saved_umask_);
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }

  // Starts the server and makes it write (so -wal and -shm exist).
  void StartAndWrite(const std::string& team = "payments") {
    server::ServerOptions options;
    options.data_dir = data_dir_;
    options.listen = "127.0.0.1:0";
    options.io_threads = 1;
    options.worker_threads = 2;
    auto app = server::ServerApp::Start(options);
    ASSERT_TRUE(app.ok()) << app.status().ToString();
    app_ = std::move(app).value();
    std::ifstream token_file(data_dir_ + "/admin.token");
    std::string token;
    std::getline(token_file, token);
    HttpClient client(app_->port());
    ASSERT_EQ(
        client.Post("/v1/teams", token, boost::json::object{{"name", team}})
            .status,
        201);
  }

  static mode_t ModeOf(const std::string& path) {
    struct stat info {};
    EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
    return info.st_mode & 0777;
  }

  // "name 0644" for every file group or others may access.
  std::vector<std::string> LooseFiles() const {
    std::vector<std::string> loose;
    for (const auto& entry : fs::directory_iterator(data_dir_)) {
      // A background writer may rename its temp file (created 0600) between
      // the listing and the stat; a file that is gone cannot be loose.
      struct stat info {};
      if (::stat(entry.path().c_str(), &info) != 0 && errno == ENOENT) continue;
      const mode_t mode = info.st_mode & 0777;
      if ((mode & 077) != 0) {
        char text[8];
        std::snprintf(text, sizeof text, "%03o", mode);
        loose.push_back(entry.path().filename().string() + " " + text);
      }
    }
    return loose;
  }

  std::string root_;
  std::string data_dir_;
  mode_t saved_umask_ = 022;
  std::unique_ptr<server::ServerApp> app_;
};

TEST_P(DataDirModesTest, EveryFileIsPrivateWhateverTheUmask) {
  StartAndWrite();
  EXPECT_EQ(ModeOf(data_dir_), 0700u);
  for (const char* name : {"warden.db", "warden.db-wal", "warden.db-shm", "kek",
                           "admin.token", "ca.key", "ca.crt"}) {
    EXPECT_TRUE(fs::exists(data_dir_ + "/" + name)) << name;
  }
  EXPECT_EQ(LooseFiles(), std::vector<std::string>());
}

// A data dir from before files were created 0600: a 0755 directory and a 0644
// database (SQLite's default) with its -wal.
TEST_P(DataDirModesTest, ExistingLooseDirectoryAndDatabaseAreTightened) {
  StartAndWrite();
  app_->Stop();
  app_.reset();
  ASSERT_EQ(::chmod(data_dir_.c_str(), 0755), 0);
  ASSERT_EQ(::chmod((data_dir_ + "/warden.db").c_str(), 0644), 0);
  StartAndWrite("billing");
  EXPECT_EQ(ModeOf(data_dir_), 0700u);
  EXPECT_EQ(ModeOf(data_dir_ + "/warden.db"), 0600u);
  EXPECT_EQ(ModeOf(data_dir_ + "/warden.db-wal"), 0600u);
}

INSTANTIATE_TEST_SUITE_P(Umasks, DataDirModesTest, testing::Values(022, 0),
                         [](const testing::TestParamInfo<mode_t>& info) {
                           return info.param == 0 ? "Umask000" : "Umask022";
                         });

}  // namespace
}  // namespace warden::testing_http
