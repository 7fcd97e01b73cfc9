// FindingService: the findings as users see them: filtered lists with
// keyset pages, one finding, a summary by severity, team, OWASP entry and
// rule, acknowledgement (open -> acknowledged with a reason and an expiry;
// the sweep reopens it when the acknowledgement lapses and resolves it
// when the condition clears), the posture policy, and a sweep on demand.
// Every call is authorized and audited.
//
// Thread safety: all methods may be called concurrently.
#ifndef WARDEN_POSTURE_FINDING_SERVICE_H_
#define WARDEN_POSTURE_FINDING_SERVICE_H_

#include <boost/json/value.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "posture/finding_catalog.h"
#include "posture/finding_sweep.h"
#include "posture/posture_policy.h"
#include "service/auditor.h"
#include "store/store.h"

namespace warden::posture {

// An acknowledgement lasts at most this long: accepted risk is re-decided.
inline constexpr std::chrono::days kMaxAcknowledgement{180};

struct Acknowledgement {
  std::string reason;
  std::optional<Timestamp> expires_at;
  std::optional<int64_t> expires_in_days;
};

class FindingService {
 public:
  // `sweep` (borrowed) runs on demand.
  FindingService(Store& store, Auditor& auditor, FindingSweep& sweep);

  // kInvalidArgument naming the filter that is not one of the allowed
  // values (severity, OWASP id, state, rule).
  static Status CheckFilter(const FindingFilter& filter);

  Result<Page<FindingRecord>> List(const Caller& caller,
                                   const FindingFilter& filter,
                                   const PageRequest& page);
  Result<FindingRecord> Get(const Caller& caller, std::string_view id);
  // The rule catalog (finding_catalog.h), as any posture reader sees it.
  Result<std::vector<RuleSpec>> Rules(const Caller& caller);
  Result<std::vector<FindingCount>> Summarize(const Caller& caller,
                                              const FindingFilter& filter);
  // kFailedPrecondition "finding-resolved" for a resolved finding;
  // kInvalidArgument for a blank reason, for not exactly one of expires_at
  // and expires_in_days, or an expiry not within
  // (now, now + kMaxAcknowledgement].
  Result<FindingRecord> Acknowledge(const Caller& caller, std::string_view id,
                                    const Acknowledgement& ack);

  Result<PosturePolicy> GetPolicy(const Caller& caller);
  Result<PosturePolicy> PutPolicy(const Caller& caller,
                                  const boost::json::value& document);
  Result<SweepReport> SweepNow(const Caller& caller);

 private:
  // Authorizes a read, then brings the findings up to date if stale (an
  // unauthorized caller cannot make the server sweep).
  Status FreshFor(const Caller& caller, std::string_view action);

  Store& store_;
  Auditor& auditor_;
  FindingSweep& sweep_;
};

}  // namespace warden::posture

#endif  // WARDEN_POSTURE_FINDING_SERVICE_H_
