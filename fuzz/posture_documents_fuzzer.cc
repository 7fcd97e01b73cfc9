// Fuzzes the documents posture and discovery accept from clients: a batch
// of observations (POST /v1/observations), the posture policy (PUT
// /v1/posture/policy) and the scan schedule (PUT /v1/scans/schedule). The
// first byte picks the parser; any JSON is refused with a Status or
// accepted and serialises back.
#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "discovery/observation_json.h"
#include "discovery/scan_schedule.h"
#include "posture/posture_policy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace warden;
  if (size < 1) return 0;
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(
      std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1), ec);
  if (ec) return 0;
  switch (data[0] % 3) {
    case 0: {
      auto batch = discovery::ObservationBatchFromJson(value);
      if (batch.ok()) {
        for (const auto& o : *batch) {
          (void)boost::json::serialize(discovery::ObservationToJson(o));
        }
      }
      break;
    }
    case 1: {
      auto policy = posture::PolicyFromJson(value);
      if (policy.ok()) {
        auto again = posture::PolicyFromJson(posture::PolicyToJson(*policy));
        if (!again.ok()) __builtin_trap();  // what we write we must read
      }
      break;
    }
    default: {
      auto schedule = discovery::ScheduleFromJson(value);
      if (schedule.ok()) {
        auto again =
            discovery::ScheduleFromJson(discovery::ScheduleToJson(*schedule));
        if (!again.ok()) __builtin_trap();
      }
      break;
    }
  }
  return 0;
}
