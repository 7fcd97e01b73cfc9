// The SDK's patch step (sdk/wire_patch.h): a "change" event replaces only
// the sections it names, only on top of its base revision; malformed
// events are refused without touching the held config.
#include "sdk/wire_patch.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace warden::sdk {
namespace {

namespace json = boost::json;

json::object Object(std::string_view text) {
  return json::parse(text).as_object();
}

constexpr char kHeld[] =
    R"({"environment":"development","revision":7,"flags":{"a":{}},)"
    R"("tenants":[{"key":"acme"}],"limits":[]})";

TEST(WirePatchTest, ReplacesTheNamedSectionsAndTheRevision) {
  json::object wire = Object(kHeld);
  const Status patched =
      ApplyWirePatch(Object(R"({"revision":8,"base":7,"change":null,)"
                            R"("patch":{"limits":[{"id":"l1"}]}})"),
                     wire);
  ASSERT_TRUE(patched.ok()) << patched.ToString();
  EXPECT_EQ(wire.at("revision").as_int64(), 8);
  EXPECT_EQ(wire.at("limits").as_array().size(), 1u);
  EXPECT_EQ(wire.at("tenants"), Object(kHeld).at("tenants"));
}

TEST(WirePatchTest, AnotherBaseAsksForAResync) {
  json::object wire = Object(kHeld);
  auto refused = ApplyWirePatch(
      Object(R"({"revision":9,"base":8,"patch":{"limits":[]}})"), wire);
  EXPECT_EQ(refused.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.message().find("holding 7"), std::string::npos);
  EXPECT_EQ(json::serialize(wire), json::serialize(Object(kHeld)));
}

TEST(WirePatchTest, MalformedEventsLeaveTheConfigUntouched) {
  for (const char* event :
       {R"({"revision":8,"patch":{}})", R"({"revision":8,"base":7})",
        R"({"revision":"8","base":7,"patch":{}})",
        R"({"revision":8,"base":7,"patch":[]})"}) {
    json::object wire = Object(kHeld);
    EXPECT_EQ(ApplyWirePatch(Object(event), wire).code(),
              StatusCode::kInvalidArgument)
        << event;
    EXPECT_EQ(json::serialize(wire), json::serialize(Object(kHeld))) << event;
  }
}

}  // namespace
}  // namespace warden::sdk
