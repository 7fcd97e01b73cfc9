#include "exposure/config_feed.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace warden::exposure {
namespace {

std::shared_ptr<PublishedConfig> Config(const std::string& wire,
                                        std::string patch = "{}") {
  auto config = std::make_shared<PublishedConfig>();
  config->snapshot = ConfigFeed().Current(Environment::kDevelopment)->snapshot;
  config->wire_json = WireText(wire);
  config->patch_json = std::move(patch);
  return config;
}

TEST(ConfigFeedTest, StartsEmptyAtRevisionZeroWithASnapshot) {
  ConfigFeed feed;
  auto current = feed.Current(Environment::kProduction);
  EXPECT_EQ(current->revision, 0);
  ASSERT_NE(current->snapshot, nullptr);
  EXPECT_EQ(current->snapshot->flag_count(), 0u);
  EXPECT_EQ(current->environment, Environment::kProduction);
}

TEST(ConfigFeedTest, RevisionsArePerEnvironmentAndListenersSeeEach) {
  ConfigFeed feed;
  std::vector<int64_t> seen;
  auto id = feed.Subscribe(Environment::kStaging,
                           [&](std::shared_ptr<const PublishedConfig> c) {
                             seen.push_back(c->revision);
                           });
  feed.Publish(Environment::kStaging, Config("a"));
  feed.Publish(Environment::kStaging, Config("b"));
  feed.Publish(Environment::kProduction, Config("c"));
  EXPECT_EQ(seen, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(feed.Current(Environment::kStaging)->wire_json, "b");
  EXPECT_EQ(feed.Current(Environment::kProduction)->revision, 1);
  feed.Unsubscribe(id);
  feed.Publish(Environment::kStaging, Config("d"));
  EXPECT_EQ(seen.size(), 2u);
}

TEST(ConfigFeedTest, ChangesSinceResumesOrAsksForFullState) {
  ConfigFeed feed;
  for (size_t i = 0; i < ConfigFeed::kHistory + 10; ++i) {
    feed.Publish(Environment::kDevelopment, Config(std::to_string(i)));
  }
  const int64_t current = ConfigFeed::kHistory + 10;
  auto recent = feed.ChangesSince(Environment::kDevelopment, current - 3);
  ASSERT_TRUE(recent.has_value());
  ASSERT_EQ(recent->size(), 3u);
  EXPECT_EQ(recent->front()->revision, current - 2);
  auto none = feed.ChangesSince(Environment::kDevelopment, current);
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->empty());
  EXPECT_FALSE(feed.ChangesSince(Environment::kDevelopment, 1).has_value());
  EXPECT_FALSE(
      feed.ChangesSince(Environment::kDevelopment, current + 1).has_value());
}

// The history holds patches, never the full configuration of old revisions.
TEST(ConfigFeedTest, HistoryKeepsPatchesNotFullConfigurations) {
  ConfigFeed feed;
  feed.Publish(Environment::kDevelopment, Config("full-1", ""));
  feed.Publish(Environment::kDevelopment, Config("full-2", R"({"limits":[]})"));
  auto changes = feed.ChangesSince(Environment::kDevelopment, 1);
  ASSERT_TRUE(changes.has_value());
  ASSERT_EQ(changes->size(), 1u);
  EXPECT_EQ(changes->front()->revision, 2);
  EXPECT_EQ(changes->front()->patch_json, R"({"limits":[]})");
  // Revision 1 had no patch: nothing before it can be resumed across.
  EXPECT_FALSE(feed.ChangesSince(Environment::kDevelopment, 0).has_value());
}

TEST(ConfigFeedTest, ARevisionWithoutPatchCutsTheHistory) {
  ConfigFeed feed;
  for (int i = 0; i < 5; ++i) {
    feed.Publish(Environment::kDevelopment, Config(std::to_string(i)));
  }
  ASSERT_TRUE(feed.ChangesSince(Environment::kDevelopment, 2).has_value());
  feed.Publish(Environment::kDevelopment, Config("full", ""));
  EXPECT_FALSE(feed.ChangesSince(Environment::kDevelopment, 2).has_value());
  EXPECT_FALSE(feed.ChangesSince(Environment::kDevelopment, 5).has_value());
  feed.Publish(Environment::kDevelopment, Config("next"));
  auto after = feed.ChangesSince(Environment::kDevelopment, 6);
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->size(), 1u);
}

TEST(ConfigFeedTest, HistoryIsBoundedByPatchBytes) {
  ConfigFeed feed;
  const std::string big(ConfigFeed::kHistoryPatchBytes / 3, 'x');
  for (int i = 0; i < 5; ++i) {
    feed.Publish(Environment::kDevelopment, Config("w", big));
  }
  // Only the last three fit.
  EXPECT_TRUE(feed.ChangesSince(Environment::kDevelopment, 2).has_value());
  EXPECT_FALSE(feed.ChangesSince(Environment::kDevelopment, 1).has_value());
}

TEST(ConfigFeedTest, ConcurrentReadersAlwaysSeeACompleteConfig) {
  ConfigFeed feed;
  std::atomic<bool> stop{false};
  std::thread reader([&] {
    while (!stop.load()) {
      auto c = feed.Current(Environment::kDevelopment);
      ASSERT_NE(c->snapshot, nullptr);
      ASSERT_EQ(c->wire_json.size() > 0, true);
    }
  });
  for (int i = 0; i < 1000; ++i) {
    feed.Publish(Environment::kDevelopment, Config("x" + std::to_string(i)));
  }
  stop = true;
  reader.join();
  EXPECT_EQ(feed.Current(Environment::kDevelopment)->revision, 1000);
}

}  // namespace
}  // namespace warden::exposure
