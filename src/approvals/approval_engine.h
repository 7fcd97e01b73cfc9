// The approvals engine: one path for every accountable decision.
//
// An approval request names its kind, its subject (a release stage, a
// tenant's activation, an identity change, a policy exception), who asked,
// who may decide (any holder of `approver_role`, or only the named
// `approver`, e.g. a tenant's account manager), a reason and an expiry. A
// decision (approve or decline) is taken once, by a human Warden user who
// is not the human behind the request (four eyes, service/four_eyes.h),
// before the request expires.
//
// Domains own what a decision does. Each kind may register hooks:
//  - effect:       runs IN THE SAME Store::Write unit as the decision (the
//                  identity becomes active, the exception approved); an
//                  error rolls the decision back and is returned.
//  - on_expire:    runs in the expiry sweep's unit when a request of the
//                  kind expires undecided (a pending identity is revoked).
//  - after_commit: a notification once the decision is durable (the
//                  releases domain republishes exposure). Must not block.
//  - describe:     extra JSON object text shown with the request in the
//                  inbox (release notes, risk tier, identities involved).
// Hooks are registered during setup, before any call; the engine runs them
// on the calling thread.
//
// Stable API for the domains that open requests:
//   RequestIn(tx, caller, request)  inside the domain's own write unit, so
//       that, e.g., a refused stage advance (409 "approval-required") and
//       the request it opens commit together. The domain has authorized
//       the caller; the engine validates the request and appends its
//       "approval.request" audit record in `tx`.
//   Request(caller, request)        the same in a write unit of its own.
//
// Thread safety: after setup (RegisterKind), every method may be called
// from any thread concurrently; the engine holds references only.
#ifndef WARDEN_APPROVALS_APPROVAL_ENGINE_H_
#define WARDEN_APPROVALS_APPROVAL_ENGINE_H_

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "approvals/approval_request.h"
#include "service/auditor.h"
#include "store/release_records.h"

namespace warden::approvals {

// A request as shown: the record with its lazily derived state (a pending
// request past expires_at shows "expired" before the sweep stores it) and
// the kind's description (a JSON object text, "{}" when none).
struct ApprovalView {
  ApprovalRecord record;
  std::string context_json = "{}";
};

// Filters of List. `mine`: what waits for the caller: pending, unexpired,
// approver_role is the caller's role, approver empty or the caller, and not
// requested by the caller's accountable human (two index range scans,
// merged). state "expired" includes pending requests past their expiry
// that the sweep has not stored yet; a page filters at most a bounded
// number of rows, so it may be short with a cursor to continue.
struct ApprovalQuery {
  std::string state;  // pending, approved, declined, expired; "" = all
  std::string kind;
  std::string release_id;
  std::string tenant_key;
  std::string identity_id;
  std::string requester;
  bool mine = false;
};

// What a kind's domain does with its requests; every hook is optional.
struct KindHooks {
  // In the decision's write unit, after the record is updated: the record
  // carries the decision (state "approved" or "declined", decided_by,
  // decision_reason). A non-OK Status rolls the decision back and is
  // Decide's answer.
  std::function<Status(Transaction&, const ApprovalRecord&)> effect;
  // In the expiry sweep's write unit, the record already "expired"; an
  // error fails that sweep batch (retried on the next sweep).
  std::function<Status(Transaction&, const ApprovalRecord&)> on_expire;
  // After Decide's unit committed, on the deciding thread; must not block.
  std::function<void(const ApprovalRecord&)> after_commit;
  // On reads (Get, List), in the read's snapshot: a JSON object text shown
  // as "context"; an error fails the read.
  std::function<Result<std::string>(Transaction&, const ApprovalRecord&)>
      describe;
};

class ApprovalEngine {
 public:
  ApprovalEngine(Store& store, Auditor& auditor)
      : store_(store), auditor_(auditor) {}
  ApprovalEngine(const ApprovalEngine&) = delete;
  ApprovalEngine& operator=(const ApprovalEngine&) = delete;

  // Setup only (before serving): the hooks of one kind. A later call for
  // the same kind replaces them. `kind` must be one of the kinds above.
  void RegisterKind(std::string_view kind, KindHooks hooks);

  // Validates and inserts a pending request in `tx`, with its
  // "approval.request" audit record (actor: `requester`). Returns the
  // stored record. Errors: kInvalidArgument ("validation-failed", naming
  // the field; "unknown-approval-kind"), kAlreadyExists (a reused id), or
  // the store's. The caller's unit must fail on error.
  Result<ApprovalRecord> RequestIn(Transaction& tx, const Caller& requester,
                                   ApprovalRequest request);
  // The same in a write unit of its own; a refusal is audited as failed.
  Result<ApprovalRecord> Request(const Caller& requester,
                                 ApprovalRequest request);

  // Approves or declines `id`, running the kind's effect in the same write
  // unit, then its after_commit hook. `reason` is required. Errors:
  //   403 (audited "deny"): no approval.decide; "self-approval" (the
  //       requester's human); "human-decision-required" (a user-less
  //       token); "not-the-approver" (another role, or not the named
  //       approver; admin may decide any request but its own);
  //   404: no such request;
  //   409 "approval-decided" (not pending), "approval-expired";
  //   400 "validation-failed" (reason); or the effect's error.
  Result<ApprovalView> Decide(const Caller& decider, std::string_view id,
                              bool approve, std::string reason);

  // Inside a domain's own decision (a policy exception decided through
  // /v1/exceptions, after that route's own four-eyes check): records the
  // same decision on the request `id` in `tx` without running the effect,
  // with its audit record. OK when no request has that id (records made
  // before the engine) or when it is no longer pending.
  Status SettleIn(Transaction& tx, const Caller& decider, std::string_view id,
                  bool approve, std::string reason);

  // Reads (audited, approval.read). Get: 404 when absent.
  Result<ApprovalView> Get(const Caller& caller, std::string_view id);
  // Newest first, keyset pages (`page.after_id`, `page.limit` 1..500).
  Result<Page<ApprovalView>> List(const Caller& caller,
                                  const ApprovalQuery& query,
                                  const PageRequest& page);

  // Marks every pending request past its expires_at expired, running the
  // kind's on_expire hook in the same unit; audited as actor "system".
  // Returns how many expired. Called by the server's periodic maintenance.
  Result<int> ExpireDue();

 private:
  const KindHooks* HooksOf(std::string_view kind) const;
  Result<ApprovalView> View(Transaction& tx, ApprovalRecord record,
                            Timestamp now) const;
  Result<Page<ApprovalView>> ListIn(Transaction& tx, const Caller& caller,
                                    const ApprovalQuery& query,
                                    const PageRequest& page, Timestamp now);

  Store& store_;
  Auditor& auditor_;
  // Immutable after setup.
  std::map<std::string, KindHooks, std::less<>> hooks_;
};

// The stored state as shown at `now`: "expired" for a pending request past
// its expires_at.
std::string_view ShownState(const ApprovalRecord& record, Timestamp now);

}  // namespace warden::approvals

#endif  // WARDEN_APPROVALS_APPROVAL_ENGINE_H_
