#include "discovery/scan_schedule.h"

#include <boost/json.hpp>

#include "discovery/observation_json.h"
#include "discovery/scanner_registry.h"
#include "service/audited_write.h"
#include "service/system_caller.h"

namespace warden::discovery {
namespace {

namespace json = boost::json;

constexpr int kRecentScans = 1000;
constexpr size_t kMaxTargetLength = 1024;

Status Invalid(size_t index, std::string_view what) {
  return InvalidArgument("scans[" + std::to_string(index) + "] " +
                         std::string(what));
}

Result<ScheduledScan> EntryFromJson(const json::value& value, size_t index) {
  if (!value.is_object()) return Invalid(index, "must be an object");
  const json::object& object = value.get_object();
  const json::value* source = object.if_contains("source");
  const json::value* target = object.if_contains("target");
  const json::value* every = object.if_contains("every_minutes");
  if (source == nullptr || !source->is_string() ||
      FindScanner(source->get_string()) == nullptr) {
    return Invalid(index, ".source must name a scanner");
  }
  if (target == nullptr || !target->is_string() ||
      target->get_string().empty() ||
      target->get_string().size() > kMaxTargetLength) {
    return Invalid(index, ".target must be a path or host:port");
  }
  ScheduledScan scan;
  scan.source = std::string(source->get_string());
  scan.target = std::string(target->get_string());
  if (every != nullptr) {
    if (!every->is_int64() || every->get_int64() < kMinScanPeriod.count() ||
        every->get_int64() > 60 * 24 * 31) {
      return Invalid(index, ".every_minutes must be within 5..44640");
    }
    scan.every = std::chrono::minutes(every->get_int64());
  }
  return scan;
}

}  // namespace

Result<std::vector<ScheduledScan>> ScheduleFromJson(const json::value& value) {
  const json::value* list =
      value.is_object() ? value.get_object().if_contains("scans") : nullptr;
  if (list == nullptr || !list->is_array() ||
      list->get_array().size() > kMaxScheduledScans) {
    return InvalidArgument("scans must be an array of at most 50 entries");
  }
  std::vector<ScheduledScan> scans;
  for (size_t i = 0; i < list->get_array().size(); ++i) {
    WARDEN_ASSIGN_OR_RETURN(ScheduledScan scan,
                            EntryFromJson(list->get_array()[i], i));
    scans.push_back(std::move(scan));
  }
  return scans;
}

json::object ScheduleToJson(const std::vector<ScheduledScan>& scans) {
  json::array out;
  for (const ScheduledScan& s : scans) {
    out.push_back({{"source", s.source},
                   {"target", s.target},
                   {"every_minutes", s.every.count()}});
  }
  return {{"scans", std::move(out)}};
}

ScanScheduler::ScanScheduler(Store& store, Auditor& auditor,
                             DriftService& drift)
    : store_(store), auditor_(auditor), drift_(drift) {}

namespace {

Result<std::vector<ScheduledScan>> LoadSchedule(Transaction& tx) {
  WARDEN_ASSIGN_OR_RETURN(std::optional<std::string> stored,
                          tx.settings().Get(kScanScheduleSetting));
  if (!stored) return std::vector<ScheduledScan>{};
  boost::system::error_code error;
  json::value parsed = json::parse(*stored, error);
  if (error) return Internal("stored scan schedule is not JSON");
  return ScheduleFromJson(parsed);
}

}  // namespace

Result<std::vector<ScheduledScan>> ScanScheduler::Get(const Caller& caller) {
  std::vector<ScheduledScan> scans;
  WARDEN_RETURN_IF_ERROR(auditor_.AuditedRead(
      caller, Permission::kPostureRead, "scan.schedule.get", "scans",
      [&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(scans, LoadSchedule(tx));
        return Status::Ok();
      }));
  return scans;
}

Result<std::vector<ScheduledScan>> ScanScheduler::Put(
    const Caller& caller, const json::value& document) {
  AuditedWrite write(store_, auditor_, caller, "scan.schedule.put", "scans",
                     Permission::kPostureManage);
  std::vector<ScheduledScan> scans;
  WARDEN_RETURN_IF_ERROR(write.Run([&](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(write.Authorize());
    WARDEN_ASSIGN_OR_RETURN(scans, ScheduleFromJson(document));
    const json::object stored = ScheduleToJson(scans);
    WARDEN_RETURN_IF_ERROR(
        tx.settings().Put(kScanScheduleSetting, json::serialize(stored)));
    return write.Record(tx, {{"schedule", stored}});
  }));
  return scans;
}

Result<bool> ScanScheduler::IsDue(const ScheduledScan& scan, Timestamp now) {
  std::vector<ScanRunRecord> recent;
  WARDEN_RETURN_IF_ERROR(store_.Read([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(recent, tx.observations().ListScans(kRecentScans));
    return Status::Ok();
  }));
  for (const ScanRunRecord& run : recent) {  // newest first
    if (run.source != scan.source || run.target != scan.target) continue;
    return now - run.started_at >= scan.every;
  }
  return true;
}

Status ScanScheduler::RunOne(const ScheduledScan& scan) {
  const Caller system = SystemCaller();
  WARDEN_ASSIGN_OR_RETURN(ScanRunRecord run,
                          drift_.StartScan(system, scan.source, scan.target));
  Result<ScanReport> scanned = RunScanner(scan.source, {scan.target}, {});
  if (!scanned.ok()) {
    // Recorded as a scan with one issue, so that it is visible and not
    // retried before its period.
    return drift_
        .CompleteScan(system, run.id,
                      {{scan.target, scanned.status().message()}}, 1)
        .status();
  }
  const ScanReport& report = *scanned;
  for (size_t first = 0; first < report.observations.size();
       first += kMaxObservationsPerBatch) {
    const size_t last =
        std::min(report.observations.size(), first + kMaxObservationsPerBatch);
    std::vector<Observation> batch(report.observations.begin() + first,
                                   report.observations.begin() + last);
    WARDEN_RETURN_IF_ERROR(
        drift_.Record(system, run.id, "", "", batch).status());
  }
  return drift_
      .CompleteScan(system, run.id, report.issues,
                    static_cast<int64_t>(report.issues.size()))
      .status();
}

Result<int> ScanScheduler::RunDue() {
  MutexLock lock(run_mu_);
  std::vector<ScheduledScan> scans;
  WARDEN_RETURN_IF_ERROR(store_.Read([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(scans, LoadSchedule(tx));
    return Status::Ok();
  }));
  int ran = 0;
  for (const ScheduledScan& scan : scans) {
    WARDEN_ASSIGN_OR_RETURN(bool due, IsDue(scan, auditor_.clock().Now()));
    if (!due) continue;
    const Status run = RunOne(scan);
    if (!run.ok()) {
      return run.WithContext("scheduled scan " + scan.source + " " +
                             scan.target);
    }
    ++ran;
  }
  return ran;
}

}  // namespace warden::discovery
