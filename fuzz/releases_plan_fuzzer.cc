// Fuzzes the parsers of a release's request members: the exposure plan and
// the release notes. Every input is either refused with a Status or parses
// into a value whose JSON parses back to the same stages.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "releases/exposure_plan.h"
#include "releases/release_notes.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace warden::releases;
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(
      std::string_view(reinterpret_cast<const char*>(data), size), ec);
  if (ec) return 0;
  auto plan = ParsePlan(value);
  if (plan.ok()) {
    auto again = PlanFromText(boost::json::serialize(PlanToJson(*plan)));
    if (!again.ok() || again->stages.size() != plan->stages.size()) abort();
  }
  auto notes = ParseNotes(value, {"a", "b", "c"});
  if (notes.ok()) {
    auto again = NotesFromText(boost::json::serialize(NotesToJson(*notes)));
    if (!again.ok()) abort();
  }
  return 0;
}
