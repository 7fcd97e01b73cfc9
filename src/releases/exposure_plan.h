// A release's exposure plan: ordered stages, each with its audience, entry
// criteria and guardrails. Stored as JSON in the release record; parsed
// here, so the rest of the domain works on typed stages.
//
// JSON (every member optional but "name"):
//   [{"name": "canary",
//     "audience": {"everyone": bool, "tenants": [...], "segments": [...],
//                  "percentage": 0..100},
//     "requires_readiness": bool,  // default: true for broad audiences
//                                  // (a percentage or everyone)
//     "min_soak_minutes": n,       // time in the previous stage first
//     "advance_after_minutes": n,  // scheduled: advance on its own
//     "guardrails": [{"signal": "error_rate", "max": 0.05, "min": ...}],
//     "auto_rollback": bool}]
// Pure functions; thread-safe.
#ifndef WARDEN_RELEASES_EXPOSURE_PLAN_H_
#define WARDEN_RELEASES_EXPOSURE_PLAN_H_

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace warden::releases {

inline constexpr size_t kMaxStages = 20;
inline constexpr size_t kMaxGuardrails = 20;
inline constexpr size_t kMaxAudienceItems = 10'000;
inline constexpr int64_t kMaxStageMinutes = 60 * 24 * 90;

// A threshold on one named signal; crossing it pauses the stage.
struct Guardrail {
  std::string signal;
  std::optional<double> max;  // crossed when value > max
  std::optional<double> min;  // crossed when value < min

  // "error_rate 0.07 > max 0.05", or "" when `value` is within bounds.
  std::string Crossing(double value) const;
};

struct StageAudience {
  bool everyone = false;
  std::vector<std::string> tenants;
  std::vector<std::string> segments;
  double percentage = 0;  // 0..100

  bool broad() const { return everyone || percentage > 0; }
};

struct Stage {
  std::string name;
  StageAudience audience;
  bool requires_readiness = false;
  int64_t min_soak_minutes = 0;
  std::optional<int64_t> advance_after_minutes;
  std::vector<Guardrail> guardrails;
  bool auto_rollback = false;
};

struct ExposurePlan {
  std::vector<Stage> stages;
};

// internal (segment "internal"), canary (segment "canary"), 10 %, 50 %,
// everyone; guardrail-free, readiness before the broad stages.
ExposurePlan DefaultPlan();

// kInvalidArgument ("validation-failed") naming the offending member under
// `field` (e.g. "plan[2].audience.percentage").
Result<ExposurePlan> ParsePlan(const boost::json::value& json,
                               std::string_view field = "plan");
boost::json::array PlanToJson(const ExposurePlan& plan);

// The stored plan text (written by PlanToJson) parsed back.
Result<ExposurePlan> PlanFromText(std::string_view text);

// The name of stage `index` as the release's "stage": index 0 is
// "deployed" (dark), n is stages[n - 1].
std::string StageName(const ExposurePlan& plan, int64_t index);

}  // namespace warden::releases

#endif  // WARDEN_RELEASES_EXPOSURE_PLAN_H_
