#include "discovery/scan_schedule.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>

#include "service/system_caller.h"
#include "store/sqlite/sqlite_store.h"

namespace warden::discovery {
namespace {

namespace json = boost::json;

class ScanScheduleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = testing::TempDir() + "warden_schedule_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    SqliteStoreOptions options;
    options.path = dir_ + "/warden.db";
    auto store = OpenSqliteStore(options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    auditor_ = std::make_unique<Auditor>(*store_, clock_);
    drift_ = std::make_unique<DriftService>(*store_, *auditor_);
    scheduler_ = std::make_unique<ScanScheduler>(*store_, *auditor_, *drift_);
    std::filesystem::create_directories(dir_ + "/deploy");
    std::ofstream(dir_ + "/deploy/sa.yaml") << "apiVersion: v1\n"
                                               "kind: ServiceAccount\n"
                                               "metadata:\n"
                                               "  name: billing\n"
                                               "  namespace: prod\n";
  }
  void TearDown() override {
    scheduler_.reset();
    drift_.reset();
    auditor_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  Status Schedule(const std::string& target) {
    return scheduler_
        ->Put(SystemCaller(), json::object{{"scans",
                                            {{{"source", "k8s"},
                                              {"target", target},
                                              {"every_minutes", 60}}}}})
        .status();
  }

  int64_t Observed() {
    int64_t n = 0;
    EXPECT_TRUE(store_
                    ->Read([&](Transaction& tx) -> Status {
                      WARDEN_ASSIGN_OR_RETURN(n, tx.observations().Count({}));
                      return Status::Ok();
                    })
                    .ok());
    return n;
  }

  std::string dir_;
  ManualClock clock_{std::chrono::sys_days(std::chrono::year{2026} / 12 / 7)};
  std::unique_ptr<Store> store_;
  std::unique_ptr<Auditor> auditor_;
  std::unique_ptr<DriftService> drift_;
  std::unique_ptr<ScanScheduler> scheduler_;
};

TEST_F(ScanScheduleTest, RunsDueScansOncePerPeriod) {
  ASSERT_TRUE(Schedule(dir_ + "/deploy").ok());
  Result<int> ran = scheduler_->RunDue();
  ASSERT_TRUE(ran.ok()) << ran.status().ToString();
  EXPECT_EQ(*ran, 1);
  EXPECT_EQ(Observed(), 1);
  EXPECT_EQ(*scheduler_->RunDue(), 0);  // not due yet
  clock_.Advance(std::chrono::minutes(61));
  EXPECT_EQ(*scheduler_->RunDue(), 1);
}

TEST_F(ScanScheduleTest, AFailingTargetIsRecordedNotRetriedEveryTick) {
  ASSERT_TRUE(Schedule(dir_ + "/missing").ok());
  EXPECT_EQ(*scheduler_->RunDue(), 1);
  EXPECT_EQ(*scheduler_->RunDue(), 0);
  Result<std::vector<ScanRunRecord>> scans =
      drift_->ListScans(SystemCaller(), 10);
  ASSERT_TRUE(scans.ok());
  ASSERT_EQ(scans->size(), 1u);
  EXPECT_EQ((*scans)[0].issues, 1);
  EXPECT_NE((*scans)[0].issues_json.find("no such file"), std::string::npos);
}

TEST_F(ScanScheduleTest, RefusesSchedulesThatAreNotOne) {
  for (
      const char* bad :
      {R"({})", R"({"scans": [{"source": "nmap", "target": "x"}]})",
       R"({"scans": [{"source": "k8s", "target": ""}]})",
       R"({"scans": [{"source": "k8s", "target": "x", "every_minutes": 1}]})"}) {
    Status put = scheduler_->Put(SystemCaller(), json::parse(bad)).status();
    EXPECT_EQ(put.code(), StatusCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace warden::discovery
