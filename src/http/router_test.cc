#include "http/router.h"

#include <gtest/gtest.h>

namespace warden {
namespace {

RouteHandler Answer(int status) {
  return [status](const ApiRequest&) -> Result<ApiResponse> {
    ApiResponse r;
    r.status = status;
    return r;
  };
}

class RouterTest : public testing::Test {
 protected:
  void SetUp() override {
    router_.Add({"GET", "/v1/identities", RouteAccess::kAuthenticated,
                 RouteCost::kBlocking, Answer(1)});
    router_.Add({"POST", "/v1/identities", RouteAccess::kAuthenticated,
                 RouteCost::kBlocking, Answer(2)});
    router_.Add({"GET", "/v1/identities/{id}", RouteAccess::kAuthenticated,
                 RouteCost::kBlocking, Answer(3)});
    router_.Add({"POST", "/v1/identities/{id}/revoke",
                 RouteAccess::kAuthenticated, RouteCost::kBlocking, Answer(4)});
  }
  Router router_;
};

TEST_F(RouterTest, MatchesLiteralAndCapture) {
  RouteMatch m = router_.Match("GET", SplitPath("/v1/identities/abc"));
  ASSERT_EQ(m.kind, RouteMatch::Kind::kFound);
  EXPECT_EQ(m.route->pattern, "/v1/identities/{id}");
  EXPECT_EQ(m.params.at("id"), "abc");
}

TEST_F(RouterTest, UnknownPathIsNotFound) {
  EXPECT_EQ(router_.Match("GET", SplitPath("/v1/nothing")).kind,
            RouteMatch::Kind::kNotFound);
  EXPECT_EQ(router_.Match("GET", SplitPath("/v1/identities/a/b")).kind,
            RouteMatch::Kind::kNotFound);
}

TEST_F(RouterTest, WrongMethodListsAllowed) {
  RouteMatch m = router_.Match("DELETE", SplitPath("/v1/identities"));
  EXPECT_EQ(m.kind, RouteMatch::Kind::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "GET, POST");
}

TEST_F(RouterTest, SplitPathIgnoresEmptySegments) {
  EXPECT_EQ(SplitPath("/v1//teams/"),
            (std::vector<std::string>{"v1", "teams"}));
}

}  // namespace
}  // namespace warden
