#include "core/clock.h"

namespace warden {

Timestamp SystemClock::Now() const {
  return std::chrono::time_point_cast<std::chrono::microseconds>(
      std::chrono::system_clock::now());
}

Timestamp ManualClock::Now() const { return FromMicros(now_us_.load()); }

}  // namespace warden
