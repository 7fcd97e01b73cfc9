// Time source. Code that needs "now" takes a Clock& so tests can drive time.
#ifndef WARDEN_CORE_CLOCK_H_
#define WARDEN_CORE_CLOCK_H_

#include <atomic>
#include <chrono>
#include <cstdint>

namespace warden {

// Wall-clock instant with microsecond resolution (UTC).
using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

// Thread-safe: implementations may be called from any thread.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp Now() const override;
};

// A clock that only moves when told; for tests. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start)
      : now_us_(start.time_since_epoch().count()) {}
  Timestamp Now() const override;
  void Advance(std::chrono::microseconds delta) { now_us_ += delta.count(); }
  void Set(Timestamp t) { now_us_ = t.time_since_epoch().count(); }

 private:
  std::atomic<int64_t> now_us_;
};

inline int64_t ToMicros(Timestamp t) { return t.time_since_epoch().count(); }
inline Timestamp FromMicros(int64_t us) {
  return Timestamp(std::chrono::microseconds(us));
}
inline int64_t ToUnixSeconds(Timestamp t) {
  return std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count();
}

}  // namespace warden

#endif  // WARDEN_CORE_CLOCK_H_
