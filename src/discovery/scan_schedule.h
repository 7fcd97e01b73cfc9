// Scans the server runs by itself on a schedule: each entry names a
// scanner, its targets (paths on the server's machine, or host:port) and
// a period. The schedule is stored in the settings (one document, so every
// replica reads the same); an entry is due when no complete scan of its
// source and target is younger than its period. Results go through the
// DriftService as actor "system", exactly as a CLI scan's do.
//
// Security: the server reads the named paths and connects to the named
// endpoints with its own privileges, so only posture.manage (admin,
// security) edits the schedule, and every run is audited.
//
// Thread safety: RunDue() may be called from any thread; runs are
// serialised.
#ifndef WARDEN_DISCOVERY_SCAN_SCHEDULE_H_
#define WARDEN_DISCOVERY_SCAN_SCHEDULE_H_

#include <boost/json/value.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "core/mutex.h"
#include "discovery/drift_service.h"

namespace warden::discovery {

inline constexpr char kScanScheduleSetting[] = "discovery.schedule";
// At most this many entries; each at least every five minutes.
inline constexpr size_t kMaxScheduledScans = 50;
inline constexpr std::chrono::minutes kMinScanPeriod{5};

struct ScheduledScan {
  std::string source;
  std::string target;  // one path or host:port
  std::chrono::minutes every{60};
};

// Parses {"scans": [{"source", "target", "every_minutes"}]}.
Result<std::vector<ScheduledScan>> ScheduleFromJson(
    const boost::json::value& json);
boost::json::object ScheduleToJson(const std::vector<ScheduledScan>& scans);

class ScanScheduler {
 public:
  ScanScheduler(Store& store, Auditor& auditor, DriftService& drift);

  Result<std::vector<ScheduledScan>> Get(const Caller& caller);
  Result<std::vector<ScheduledScan>> Put(const Caller& caller,
                                         const boost::json::value& document);
  // Runs the entries that are due; returns how many ran.
  Result<int> RunDue();

 private:
  Result<bool> IsDue(const ScheduledScan& scan, Timestamp now);
  Status RunOne(const ScheduledScan& scan);

  Store& store_;
  Auditor& auditor_;
  DriftService& drift_;
  Mutex run_mu_;
};

}  // namespace warden::discovery

#endif  // WARDEN_DISCOVERY_SCAN_SCHEDULE_H_
