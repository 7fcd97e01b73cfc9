// RouteCost::kAsync in the request pipeline: the worker is released when
// the handler returns; the answer comes from whichever thread calls the
// responder, exactly once, and a handler that drops or throws still gets
// the connection an answer (500), never a hang.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/asio/thread_pool.hpp>
#include <filesystem>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "api/bearer_authentication.h"
#include "http/request_pipeline.h"
#include "inventory/access_service.h"
#include "store/sqlite/sqlite_store.h"

namespace warden {
namespace {

using namespace std::chrono_literals;

class RequestPipelineAsyncTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = testing::TempDir() + "warden_pipeline_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    SqliteStoreOptions options;
    options.path = dir_ + "/warden.db";
    auto store = OpenSqliteStore(options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    auditor_ = std::make_unique<Auditor>(*store_, clock_);
    access_ = std::make_unique<inventory::AccessService>(*store_, *auditor_);
    bearer_ = std::make_unique<api::BearerAuthentication>(*access_);
    pipeline_ = std::make_unique<RequestPipeline>(router_, *bearer_, metrics_,
                                                  clock_, workers_);
  }
  void TearDown() override {
    workers_.join();
    store_->Close();
    std::filesystem::remove_all(dir_);
  }

  void AddAsync(std::string pattern, AsyncRouteHandler handler,
                RouteAccess access = RouteAccess::kPublic,
                RouteCost cost = RouteCost::kAsync) {
    Route route;
    route.method = "POST";
    route.pattern = std::move(pattern);
    route.access = access;
    route.cost = cost;
    route.async_handler = std::move(handler);
    router_.Add(std::move(route));
  }

  // Submits and waits (bounded) for the completion.
  ApiResponse Submit(const std::string& target,
                     std::thread::id* completed_on = nullptr) {
    ApiRequest request;
    request.method = "POST";
    request.target = target;
    request.remote = "127.0.0.1:1";
    std::promise<std::pair<ApiResponse, std::thread::id>> done;
    pipeline_->Submit(std::move(request), [&done](ApiResponse response) {
      done.set_value({std::move(response), std::this_thread::get_id()});
    });
    auto future = done.get_future();
    if (future.wait_for(10s) != std::future_status::ready) {
      ADD_FAILURE() << "no completion for " << target;
      return {};
    }
    auto [response, thread] = future.get();
    if (completed_on != nullptr) *completed_on = thread;
    return response;
  }

  std::string dir_;
  SystemClock clock_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Auditor> auditor_;
  std::unique_ptr<inventory::AccessService> access_;
  std::unique_ptr<api::BearerAuthentication> bearer_;
  Metrics metrics_;
  Router router_;
  boost::asio::thread_pool workers_{1};
  std::unique_ptr<RequestPipeline> pipeline_;  // after access_ exists
};

ApiResponse Body(std::string text) {
  ApiResponse response;
  response.body = std::move(text);
  return response;
}

TEST_F(RequestPipelineAsyncTest, AnswerFromAnotherThreadFreesTheWorker) {
  std::mutex mu;
  std::vector<RouteResponder> held;
  AddAsync("/later", [&](const ApiRequest&, RouteResponder respond) {
    std::lock_guard lock(mu);
    held.push_back(std::move(respond));
  });
  AddAsync("/now", [](const ApiRequest& request, RouteResponder respond) {
    respond(Body("now:" + request.target));
  });
  // With one worker, a second request can only be served if the first one
  // released it while still unanswered.
  ApiRequest first;
  first.method = "POST";
  first.target = "/later";
  std::promise<ApiResponse> later;
  pipeline_->Submit(std::move(first), [&later](ApiResponse response) {
    later.set_value(std::move(response));
  });
  EXPECT_EQ(Submit("/now").body, "now:/now");
  std::thread::id answering;
  std::thread other([&] {
    answering = std::this_thread::get_id();
    std::lock_guard lock(mu);
    ASSERT_EQ(held.size(), 1u);
    held[0](Body("later"));
    held[0](Body("twice"));  // ignored: exactly one answer
  });
  other.join();
  ApiResponse response = later.get_future().get();
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "later");
  bool has_request_id = false;
  for (const auto& [name, value] : response.headers) {
    has_request_id |= name == "X-Request-Id" && !value.empty();
  }
  EXPECT_TRUE(has_request_id);
}

TEST_F(RequestPipelineAsyncTest, ErrorsBecomeProblems) {
  AddAsync("/refuse", [](const ApiRequest&, RouteResponder respond) {
    respond(InvalidArgument("bad thing", "bad-thing"));
  });
  ApiResponse response = Submit("/refuse");
  EXPECT_EQ(response.status, 400);
  EXPECT_NE(response.body.find("bad thing"), std::string::npos);
}

TEST_F(RequestPipelineAsyncTest, DroppedResponderAnswers500) {
  AddAsync("/drop", [](const ApiRequest&, RouteResponder) {});
  EXPECT_EQ(Submit("/drop").status, 500);
}

TEST_F(RequestPipelineAsyncTest, ThrowingHandlerAnswers500Once) {
  AddAsync("/throw", [](const ApiRequest&, RouteResponder) {
    throw std::runtime_error("handler bug");
  });
  AddAsync("/answer-then-throw", [](const ApiRequest&, RouteResponder respond) {
    respond(Body("kept"));
    throw std::runtime_error("late bug");
  });
  EXPECT_EQ(Submit("/throw").status, 500);
  ApiResponse kept = Submit("/answer-then-throw");
  EXPECT_EQ(kept.status, 200);
  EXPECT_EQ(kept.body, "kept");
}

TEST_F(RequestPipelineAsyncTest, AuthenticationFailsBeforeTheHandler) {
  bool ran = false;
  AddAsync(
      "/private",
      [&ran](const ApiRequest&, RouteResponder respond) {
        ran = true;
        respond(Body("secret"));
      },
      RouteAccess::kAuthenticated);
  EXPECT_EQ(Submit("/private").status, 401);
  EXPECT_FALSE(ran);
}

TEST_F(RequestPipelineAsyncTest, AnswerFromTheStoreWriterAfterCommit) {
  AddAsync("/write", [this](const ApiRequest&, RouteResponder respond) {
    store_->WriteAsync(
        [](Transaction& tx) {
          return tx.settings().Put("async-test", "committed");
        },
        [respond](Status status) {
          if (!status.ok()) return respond(status);
          respond(Body("written"));
        });
  });
  std::thread::id completed_on;
  ApiResponse response = Submit("/write", &completed_on);
  EXPECT_EQ(response.body, "written");
  EXPECT_NE(completed_on, std::this_thread::get_id());
  std::optional<std::string> value;
  ASSERT_TRUE(store_
                  ->Read([&](Transaction& tx) -> Status {
                    WARDEN_ASSIGN_OR_RETURN(value,
                                            tx.settings().Get("async-test"));
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(value, "committed");
}

TEST_F(RequestPipelineAsyncTest, ProcessWaitsForTheAsynchronousAnswer) {
  std::thread answering;
  AddAsync("/slow", [&answering](const ApiRequest&, RouteResponder respond) {
    answering = std::thread([respond = std::move(respond)] {
      std::this_thread::sleep_for(50ms);
      respond(Body("slow"));
    });
  });
  ApiRequest request;
  request.method = "POST";
  request.target = "/slow";
  request.request_id = "r1";
  EXPECT_EQ(pipeline_->Process(request).body, "slow");
  answering.join();
}

// kAsyncInlineFirst: answered on the submitting thread when the handler
// can; a NeedsWorker() answer restarts the handler on the pool, where it
// may block, and is never seen by the client.
TEST_F(RequestPipelineAsyncTest, InlineFirstMovesToAWorkerOnlyWhenAsked) {
  std::vector<std::pair<bool, std::thread::id>> starts;
  std::mutex mu;
  AddAsync(
      "/maybe",
      [&](const ApiRequest& request, RouteResponder respond) {
        {
          std::lock_guard lock(mu);
          starts.emplace_back(request.may_block, std::this_thread::get_id());
        }
        const bool needs_store = request.target.ends_with("?miss");
        if (needs_store && !request.may_block) return respond(NeedsWorker());
        respond(Body(request.may_block ? "worker" : "inline"));
      },
      RouteAccess::kPublic, RouteCost::kAsyncInlineFirst);
  std::thread::id answered_on;
  ApiResponse hit = Submit("/maybe?hit", &answered_on);
  EXPECT_EQ(hit.status, 200);
  EXPECT_EQ(hit.body, "inline");
  EXPECT_EQ(answered_on, std::this_thread::get_id());
  ApiResponse miss = Submit("/maybe?miss", &answered_on);
  EXPECT_EQ(miss.status, 200);
  EXPECT_EQ(miss.body, "worker");
  EXPECT_NE(answered_on, std::this_thread::get_id());
  std::lock_guard lock(mu);
  ASSERT_EQ(starts.size(), 3u);
  EXPECT_FALSE(starts[1].first);
  EXPECT_TRUE(starts[2].first);
  EXPECT_NE(starts[2].second, std::this_thread::get_id());
}

// An authenticated route never starts inline: authentication (here a
// refusal, audited in the store) may block.
TEST_F(RequestPipelineAsyncTest, InlineFirstNeedsAPublicRoute) {
  AddAsync(
      "/private",
      [](const ApiRequest& request, RouteResponder respond) {
        respond(Body(request.may_block ? "worker" : "inline"));
      },
      RouteAccess::kAuthenticated, RouteCost::kAsyncInlineFirst);
  std::thread::id answered_on;
  EXPECT_EQ(Submit("/private", &answered_on).status, 401);
  EXPECT_NE(answered_on, std::this_thread::get_id());
}

}  // namespace
}  // namespace warden
