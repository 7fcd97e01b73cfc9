// Shared by the Store contract suites (store_test.cc, exposure_store_test.cc
// ...): the list of implementations every suite runs against, and a fixture
// that opens a fresh store per test.
//
// PostgreSQL joins when WARDEN_TEST_POSTGRES_URI names a server
// (scripts/pg-cluster.sh starts one; scripts/test.sh sets it): each test
// gets a schema of its own on it, dropped afterwards.
#ifndef WARDEN_STORE_STORE_TEST_FIXTURE_H_
#define WARDEN_STORE_STORE_TEST_FIXTURE_H_

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cctype>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/postgres/pg_connection.h"
#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace warden {

struct StoreImplementation {
  std::string name;
  // Opens a fresh, empty store keeping its files under `dir`.
  std::function<Result<std::unique_ptr<Store>>(const std::string& dir)> open;
  // Drops what `open` made outside `dir`, after the store is closed.
  std::function<void(const std::string& dir)> cleanup = [](const auto&) {};
};

// The test server's URI, or empty.
inline std::string TestPostgresUri() {
  const char* uri = getenv("WARDEN_TEST_POSTGRES_URI");
  return uri != nullptr ? uri : "";
}

// The schema a test directory's store lives in on the test server.
inline std::string TestPostgresSchema(const std::string& dir) {
  std::string schema = "t_";
  for (char c : std::filesystem::path(dir).filename().string()) {
    schema +=
        std::isalnum(static_cast<unsigned char>(c)) ? std::tolower(c) : '_';
  }
  return schema;
}

// `uri` with `schema` first on the search path (pg_trgm stays reachable in
// public).
inline std::string TestPostgresUriFor(const std::string& schema) {
  const std::string uri = TestPostgresUri();
  return uri + (uri.find('?') == std::string::npos ? "?" : "&") +
         "options=-csearch_path%3D" + schema + "%2Cpublic";
}

inline Status RunOnTestPostgres(const std::string& sql) {
  auto admin = postgres::PgConnection::Open(TestPostgresUri());
  if (!admin.ok()) return admin.status();
  return (*admin)->Exec(sql, "prepare the test schema");
}

inline std::vector<StoreImplementation> StoreImplementations() {
  std::vector<StoreImplementation> implementations = {
      {"sqlite", [](const std::string& dir) {
         SqliteStoreOptions options;
         options.path = dir + "/warden.db";
         return OpenSqliteStore(options);
       }}};
  if (TestPostgresUri().empty()) return implementations;
  implementations.push_back(
      {"postgres",
       [](const std::string& dir) -> Result<std::unique_ptr<Store>> {
         const std::string schema = TestPostgresSchema(dir);
         WARDEN_RETURN_IF_ERROR(RunOnTestPostgres("CREATE SCHEMA " + schema));
         PostgresStoreOptions options;
         options.uri = TestPostgresUriFor(schema);
         options.read_connections = 2;
         return OpenPostgresStore(options);
       },
       [](const std::string& dir) {
         (void)RunOnTestPostgres("DROP SCHEMA IF EXISTS " +
                                 TestPostgresSchema(dir) + " CASCADE");
       }});
  return implementations;
}

inline std::string StoreImplementationName(
    const testing::TestParamInfo<StoreImplementation>& info) {
  return info.param.name;
}

// A fixed instant for records, so tests never depend on the clock.
inline const Timestamp kStoreTestT0 = FromMicros(1'760'000'000'000'000);

class StoreContractTest : public testing::TestWithParam<StoreImplementation> {
 protected:
  void SetUp() override {
    std::string pattern = testing::TempDir() + "warden_store_test_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    auto store = GetParam().open(dir_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }

  void TearDown() override {
    store_.reset();
    GetParam().cleanup(dir_);
    std::filesystem::remove_all(dir_);
  }

  Status Write(const UnitOfWork& work) { return store_->Write(work); }
  Status Read(const UnitOfWork& work) { return store_->Read(work); }
  Status ReadStatus(const UnitOfWork& work) { return Read(work); }

  // The value `get` reads in a read transaction (T{} after a failure, which
  // is also reported).
  template <typename T, typename F>
  T ReadValue(F get) {
    std::optional<T> out;
    Status status = Read([&](Transaction& tx) {
      auto result = get(tx);
      if (!result.ok()) return result.status();
      out = std::move(result).value();
      return Status::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return out.value_or(T{});
  }

  std::string dir_;
  std::unique_ptr<Store> store_;
};

}  // namespace warden

#endif  // WARDEN_STORE_STORE_TEST_FIXTURE_H_
