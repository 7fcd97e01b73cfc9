// Shared by the Store contract suites (store_test.cc, exposure_store_test.cc):
// the list of implementations every suite runs against, and a fixture that
// opens a fresh store per test. PostgreSQL joins every suite by adding one
// entry to StoreImplementations().
#ifndef WARDEN_STORE_STORE_TEST_FIXTURE_H_
#define WARDEN_STORE_STORE_TEST_FIXTURE_H_

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace warden {

struct StoreImplementation {
  std::string name;
  // Opens a fresh, empty store keeping its files under `dir`.
  std::function<Result<std::unique_ptr<Store>>(const std::string& dir)> open;
};

inline std::vector<StoreImplementation> StoreImplementations() {
  return {{"sqlite", [](const std::string& dir) {
             SqliteStoreOptions options;
             options.path = dir + "/warden.db";
             return OpenSqliteStore(options);
           }}};
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
