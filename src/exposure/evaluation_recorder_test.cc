// EvaluationRecorder on the real store: every evaluation period updates
// last_evaluated_at, including for keys the lock-free table remembered from
// the period before.
#include "exposure/evaluation_recorder.h"

#include <gtest/gtest.h>

#include <optional>

#include "exposure/config_feed.h"
#include "exposure/exposure_publisher.h"
#include "exposure/flag_service.h"
#include "service/service_test_env.h"
#include "wire/exposure_json.h"

namespace warden::exposure {
namespace {

using namespace std::chrono_literals;

class EvaluationRecorderTest : public ServiceTestEnv {
 protected:
  void SetUp() override {
    ServiceTestEnv::SetUp();
    publisher_ = std::make_unique<ExposurePublisher>(*store_, feed_);
    flags_ = std::make_unique<FlagService>(*store_, *auditor_, *publisher_);
    for (const char* key : {"checkout", "banner"}) {
      boost::json::object json{{"key", key},
                               {"variants", {{"on", true}, {"off", false}}},
                               {"default_variant", "on"},
                               {"owner_team", "payments"}};
      Result<wire::FlagSpec> spec = wire::FlagSpecFromJson(json);
      ASSERT_TRUE(spec.ok()) << spec.status().ToString();
      Status created =
          flags_->Create(Admin(), Environment::kDevelopment, *spec).status();
      ASSERT_TRUE(created.ok()) << created.ToString();
    }
  }

  void TearDown() override {
    flags_.reset();
    publisher_.reset();
    ServiceTestEnv::TearDown();
  }

  std::optional<Timestamp> LastEvaluated(const char* key) {
    auto got = flags_->Get(Admin(), Environment::kDevelopment, key);
    EXPECT_TRUE(got.ok());
    return got.ok() ? got->last_evaluated_at : std::nullopt;
  }

  ConfigFeed feed_;
  std::unique_ptr<ExposurePublisher> publisher_;
  std::unique_ptr<FlagService> flags_;
};

TEST_F(EvaluationRecorderTest, EveryPeriodRecordsItsKeysAgain) {
  EvaluationRecorder recorder(*store_, clock_);
  for (int i = 0; i < 100; ++i) {
    recorder.RecordEvaluation(Environment::kDevelopment, "checkout");
  }
  ASSERT_TRUE(recorder.Flush().ok());
  const Timestamp first = clock_.Now();
  EXPECT_EQ(LastEvaluated("checkout"), first);

  clock_.Set(first + 1h);
  recorder.RecordEvaluation(Environment::kDevelopment, "checkout");
  recorder.RecordEvaluation(Environment::kDevelopment, "banner");
  ASSERT_TRUE(recorder.Flush().ok());
  EXPECT_EQ(LastEvaluated("checkout"), first + 1h);
  EXPECT_EQ(LastEvaluated("banner"), first + 1h);

  clock_.Set(first + 2h);
  ASSERT_TRUE(recorder.Flush().ok());  // nothing evaluated: nothing moves
  EXPECT_EQ(LastEvaluated("checkout"), first + 1h);
}

TEST_F(EvaluationRecorderTest, EnvironmentsAreSeparate) {
  EvaluationRecorder recorder(*store_, clock_);
  recorder.RecordEvaluation(Environment::kProduction, "checkout");
  ASSERT_TRUE(recorder.Flush().ok());
  EXPECT_NE(LastEvaluated("checkout"), clock_.Now());
  recorder.RecordEvaluation(Environment::kDevelopment, "checkout");
  ASSERT_TRUE(recorder.Flush().ok());
  EXPECT_EQ(LastEvaluated("checkout"), clock_.Now());
}

}  // namespace
}  // namespace warden::exposure
