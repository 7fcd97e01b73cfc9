#include "policy/authzen_request.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace warden::policy {
namespace {

boost::json::object Body(std::string_view text) {
  return boost::json::parse(text).as_object();
}

TEST(AuthzenRequestTest, ReadsAnEvaluationAndIgnoresUndefinedMembers) {
  auto body = Body(R"({"subject":{"type":"user","id":"a","identity":"x"},
      "action":{"name":"read","properties":{"method":"GET"}},
      "resource":{"type":"doc","id":"1","properties":{"k":1}},
      "context":{"time":"1985-10-26T01:22-07:00"}})");
  AccessRequest r;
  ASSERT_TRUE(ParseEvaluation(body, &r).ok());
  EXPECT_EQ(r.subject.id, "a");
  EXPECT_EQ(r.action, "read");
  ASSERT_NE(r.resource.properties, nullptr);
  ASSERT_NE(r.context, nullptr);
}

TEST(AuthzenRequestTest, NamesTheMissingOrMistypedMember) {
  AccessRequest r;
  EXPECT_EQ(ParseEvaluation(Body(R"({"subject":{"type":"u"},
      "action":{"name":"x"},"resource":{"type":"r","id":"1"}})"),
                            &r)
                .message(),
            "subject.id is required");
  EXPECT_EQ(ParseEvaluation(Body(R"({"subject":{"type":"u","id":"a"},
      "action":{"name":7},"resource":{"type":"r","id":"1"}})"),
                            &r)
                .message(),
            "action.name must be a string");
  EXPECT_EQ(ParseEvaluation(Body(R"({"subject":{"type":"u","id":"a"},
      "action":{"name":"x"}})"),
                            &r)
                .message(),
            "resource is required");
}

TEST(AuthzenRequestTest, EvaluationsTakeTopLevelDefaults) {
  const boost::json::object body = Body(R"({
      "subject":{"type":"user","id":"alice"},
      "action":{"name":"read"},
      "options":{"evaluations_semantic":"deny_on_first_deny","x":1},
      "evaluations":[
        {"resource":{"type":"doc","id":"1"}},
        {"action":{"name":"edit"},"resource":{"type":"doc","id":"2"}},
        {"resource":{"type":"doc"}},
        7]})");
  auto batch = ParseEvaluations(body);
  ASSERT_TRUE(batch.ok()) << batch.status().message();
  EXPECT_FALSE(batch->single);
  EXPECT_EQ(batch->semantic, EvaluationsSemantic::kDenyOnFirstDeny);
  ASSERT_EQ(batch->items.size(), 4u);
  EXPECT_EQ(batch->items[0].request.subject.id, "alice");
  EXPECT_EQ(batch->items[0].request.action, "read");
  EXPECT_EQ(batch->items[1].request.action, "edit");
  EXPECT_EQ(batch->items[2].error.message(), "resource.id is required");
  EXPECT_EQ(batch->items[3].error.message(),
            "evaluations[3] must be an object");
}

TEST(AuthzenRequestTest, WithoutEvaluationsItIsOneEvaluation) {
  auto batch = ParseEvaluations(Body(R"({"subject":{"type":"u","id":"a"},
      "action":{"name":"x"},"resource":{"type":"r","id":"1"},
      "evaluations":[]})"));
  ASSERT_TRUE(batch.ok());
  EXPECT_TRUE(batch->single);
  EXPECT_EQ(batch->items.size(), 1u);
  EXPECT_FALSE(ParseEvaluations(Body(R"({"evaluations":{}})")).ok());
  EXPECT_FALSE(ParseEvaluations(Body(R"({"options":{"evaluations_semantic":
      "first"},"evaluations":[{}]})"))
                   .ok());
}

TEST(AuthzenRequestTest, SemanticsStopWhereTheSpecificationSays) {
  EXPECT_FALSE(StopsAfter(EvaluationsSemantic::kExecuteAll, false));
  EXPECT_TRUE(StopsAfter(EvaluationsSemantic::kDenyOnFirstDeny, false));
  EXPECT_FALSE(StopsAfter(EvaluationsSemantic::kDenyOnFirstDeny, true));
  EXPECT_TRUE(StopsAfter(EvaluationsSemantic::kPermitOnFirstPermit, true));
}

TEST(AuthzenRequestTest, SearchesNeedOnlyTheSearchedType) {
  const boost::json::object subjects = Body(R"({
      "subject":{"type":"user"},"action":{"name":"read"},
      "resource":{"type":"doc","id":"1"},"page":{"token":"t","limit":5000}})");
  auto search = ParseSearch(SearchKind::kSubject, subjects);
  ASSERT_TRUE(search.ok()) << search.status().message();
  EXPECT_EQ(search->page_token, "t");
  EXPECT_EQ(search->limit, kMaxSearchLimit);
  const boost::json::object actions_body = Body(R"({
      "subject":{"type":"user","id":"a"},"resource":{"type":"doc","id":"1"},
      "page":{"next_token":"n"}})");
  auto actions = ParseSearch(SearchKind::kAction, actions_body);
  ASSERT_TRUE(actions.ok());
  EXPECT_EQ(actions->page_token, "n");
  EXPECT_FALSE(ParseSearch(SearchKind::kResource, Body(R"({
      "subject":{"type":"user","id":"a"},"action":{"name":"read"},
      "resource":{"id":"1"}})"))
                   .ok());
  EXPECT_FALSE(ParseSearch(SearchKind::kSubject, Body(R"({
      "subject":{"type":"user"},"action":{"name":"read"},
      "resource":{"type":"doc","id":"1"},"page":{"limit":-1}})"))
                   .ok());
}

}  // namespace
}  // namespace warden::policy
