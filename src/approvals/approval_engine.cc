// Every decision is one write unit: the four-eyes and approver checks read
// the request on the same snapshot the decision is stored from, and the
// kind's effect runs in that unit, so a decision and its consequence commit
// or fail together (the compare-and-set on version refuses a concurrent
// second decision).
#include "approvals/approval_engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <utility>
#include <vector>

#include "core/id.h"
#include "core/time_format.h"
#include "service/audited_write.h"
#include "service/field_checks.h"
#include "service/four_eyes.h"
#include "service/system_caller.h"

namespace warden::approvals {
namespace {

constexpr size_t kMaxTextLength = 2000;  // a decision's reason
constexpr int kMaxPageSize = 500;
constexpr int kExpirySweepBatch = 200;
// A page drops rows the store cannot filter (lazy expiry, the requester's
// own requests in the inbox); it reads at most this many rounds of store
// pages to fill one (a bound on one request's work).
constexpr int kMaxInboxScans = 20;

constexpr std::array<std::string_view, 4> kStates = {
    kStatePending, kStateApproved, kStateDeclined, kStateExpired};

std::string Target(std::string_view id) {
  return fmt::format("approval/{}", id);
}

ApprovalRecord NewRecord(ApprovalRequest r, const Caller& requester,
                         std::string requester_user, Timestamp now) {
  ApprovalRecord a;
  a.id = r.id.empty() ? NewId(now) : std::move(r.id);
  a.kind = std::move(r.kind);
  a.state = std::string(kStatePending);
  a.release_id = std::move(r.release_id);
  a.tenant_key = std::move(r.tenant_key);
  a.identity_id = std::move(r.identity_id);
  a.stage = r.stage;
  a.subject_json = std::move(r.subject_json);
  a.requester = requester.principal.subject;
  a.requester_user = std::move(requester_user);
  a.approver_role = std::move(r.approver_role);
  a.approver = std::move(r.approver);
  a.reason = std::move(r.reason);
  a.ticket = std::move(r.ticket);
  a.created_at = now;
  const std::chrono::seconds ttl =
      r.ttl.count() == 0 ? std::chrono::seconds(kDefaultTtl) : r.ttl;
  a.expires_at = now + ttl;
  return a;
}

boost::json::object Describe(const ApprovalRecord& a) {
  boost::json::object out{{"kind", a.kind},
                          {"state", a.state},
                          {"approver_role", a.approver_role},
                          {"expires_at", FormatRfc3339(a.expires_at)}};
  if (!a.approver.empty()) out["approver"] = a.approver;
  if (!a.release_id.empty()) out["release_id"] = a.release_id;
  if (!a.tenant_key.empty()) out["tenant"] = a.tenant_key;
  if (!a.identity_id.empty()) out["identity_id"] = a.identity_id;
  if (!a.ticket.empty()) out["ticket"] = a.ticket;
  if (!a.decision_reason.empty()) out["decision_reason"] = a.decision_reason;
  return out;
}

Result<ApprovalRecord> Load(Transaction& tx, std::string_view id) {
  Result<ApprovalRecord> found = tx.approvals().Get(id);
  if (found.ok() || found.status().code() != StatusCode::kNotFound) {
    return found;
  }
  return NotFound(fmt::format("approval \"{}\" does not exist", id));
}

// The approver rule: the request's role (admin decides any), and the named
// approver when one is set.
Status CheckApprover(AuditedWrite& write, const Principal& decider,
                     const ApprovalRecord& a) {
  if (decider.role == Role::kAdmin) return Status::Ok();
  if (Name(decider.role) != a.approver_role) {
    return write.Refuse(fmt::format("approval {} is decided by role {}, not {}",
                                    a.id, a.approver_role, Name(decider.role)),
                        "not-the-approver");
  }
  if (!a.approver.empty() && a.approver != decider.user) {
    return write.Refuse(
        fmt::format("approval {} is decided by {} only", a.id, a.approver),
        "not-the-approver");
  }
  return Status::Ok();
}

Status CheckDecidable(const ApprovalRecord& a, Timestamp now) {
  if (a.state != kStatePending) {
    return FailedPrecondition(
        fmt::format("approval {} is already {}", a.id, a.state),
        "approval-decided");
  }
  if (a.expires_at <= now) {
    return FailedPrecondition(
        fmt::format("approval {} expired at {} before it was decided", a.id,
                    FormatRfc3339(a.expires_at)),
        "approval-expired");
  }
  return Status::Ok();
}

void MarkDecided(ApprovalRecord& a, const Principal& decider, bool approve,
                 std::string reason, Timestamp now) {
  a.state = std::string(approve ? kStateApproved : kStateDeclined);
  a.decided_by = decider.subject;
  a.decided_at = now;
  a.decision_reason = std::move(reason);
  a.version += 1;
}

Status CheckQuery(const ApprovalQuery& q, const PageRequest& page) {
  if (!q.state.empty() &&
      std::find(kStates.begin(), kStates.end(), q.state) == kStates.end()) {
    return FieldError("state",
                      "must be pending, approved, declined or expired");
  }
  if (!q.kind.empty() && !IsApprovalKind(q.kind)) {
    return FieldError("kind",
                      fmt::format("must be one of {}", ApprovalKinds()));
  }
  if (page.limit < 1 || page.limit > kMaxPageSize) {
    return FieldError("limit",
                      fmt::format("must be between 1 and {}", kMaxPageSize));
  }
  if (page.after_id.has_value() && !IsWellFormedId(*page.after_id)) {
    return FieldError("after", "is not a valid page cursor");
  }
  return Status::Ok();
}

// Whether a stored row matches the query as shown at `now` (the store
// filters on stored columns; lazy expiry and the inbox rule are applied
// here).
bool Shows(const ApprovalRecord& a, const ApprovalQuery& q,
           const std::string& me, Timestamp now) {
  const std::string_view shown = ShownState(a, now);
  if (!q.state.empty() && shown != q.state) return false;
  if (!q.mine) return true;
  if (shown != kStatePending) return false;
  if (!a.approver.empty() && a.approver != me) return false;
  return a.requester_user != me;
}

// The store queries of a listing. The inbox is two exact index scans: the
// requests naming the caller, and those any holder of its role decides.
std::vector<ApprovalFilter> StoreFilters(const ApprovalQuery& q, Role role,
                                         const std::string& me) {
  ApprovalFilter filter;
  // A lazily expired request is still stored as pending.
  filter.state = q.state == kStateExpired ? "" : q.state;
  filter.kind = q.kind;
  filter.release_id = q.release_id;
  filter.tenant_key = q.tenant_key;
  filter.identity_id = q.identity_id;
  filter.requester = q.requester;
  if (!q.mine) return {filter};
  filter.state = std::string(kStatePending);
  filter.approver_role = std::string(Name(role));
  ApprovalFilter named = filter;
  named.approver = me;
  filter.unassigned = true;
  return {std::move(named), std::move(filter)};
}

// One round of reads: the next page of every filter, merged newest first.
// Rows older than the last row of a page that has more are held back (the
// next round, starting after the last row used, reads them again in order),
// so the merge never skips a row.
struct MergedRows {
  std::vector<ApprovalRecord> rows;
  bool more = false;  // some filter has rows past this round
};

Result<MergedRows> ReadRound(Transaction& tx,
                             const std::vector<ApprovalFilter>& filters,
                             const PageRequest& page) {
  MergedRows out;
  std::string frontier;  // ids below it are not complete in this round
  for (const ApprovalFilter& filter : filters) {
    WARDEN_ASSIGN_OR_RETURN(Page<ApprovalRecord> part,
                            tx.approvals().List(filter, page));
    if (part.next_after_id.has_value()) {
      out.more = true;
      frontier = std::max(frontier, *part.next_after_id);
    }
    for (ApprovalRecord& row : part.items) out.rows.push_back(std::move(row));
  }
  std::sort(out.rows.begin(), out.rows.end(),
            [](const ApprovalRecord& a, const ApprovalRecord& b) {
              return a.id > b.id;
            });
  out.rows.erase(std::find_if(out.rows.begin(), out.rows.end(),
                              [&frontier](const ApprovalRecord& a) {
                                return a.id < frontier;
                              }),
                 out.rows.end());
  return out;
}

}  // namespace

std::string_view ShownState(const ApprovalRecord& record, Timestamp now) {
  if (record.state == kStatePending && record.expires_at <= now) {
    return kStateExpired;
  }
  return record.state;
}

void ApprovalEngine::RegisterKind(std::string_view kind, KindHooks hooks) {
  hooks_.insert_or_assign(std::string(kind), std::move(hooks));
}

const KindHooks* ApprovalEngine::HooksOf(std::string_view kind) const {
  auto it = hooks_.find(kind);
  return it == hooks_.end() ? nullptr : &it->second;
}

Result<ApprovalRecord> ApprovalEngine::RequestIn(Transaction& tx,
                                                 const Caller& requester,
                                                 ApprovalRequest request) {
  WARDEN_RETURN_IF_ERROR(ValidateRequest(request));
  WARDEN_ASSIGN_OR_RETURN(std::string human,
                          AccountableHuman(tx, requester.principal.subject));
  ApprovalRecord record = NewRecord(std::move(request), requester,
                                    std::move(human), auditor_.clock().Now());
  const Status inserted = tx.approvals().Insert(record);
  if (inserted.code() == StatusCode::kAlreadyExists) {
    return AlreadyExists(
        fmt::format("approval \"{}\" already exists", record.id));
  }
  WARDEN_RETURN_IF_ERROR(inserted);
  boost::json::object details = Describe(record);
  details["reason"] = record.reason;
  WARDEN_RETURN_IF_ERROR(
      auditor_.RecordInTransaction(tx, requester, "approval.request",
                                   Target(record.id), std::move(details)));
  return record;
}

Result<ApprovalRecord> ApprovalEngine::Request(const Caller& requester,
                                               ApprovalRequest request) {
  ApprovalRecord created;
  const Status status = store_.Write([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(created, RequestIn(tx, requester, request));
    return Status::Ok();
  });
  if (status.ok()) return created;
  return auditor_.Failed(requester, "approval.request", Target(request.id),
                         status, {{"kind", request.kind}});
}

Result<ApprovalView> ApprovalEngine::Decide(const Caller& decider,
                                            std::string_view id, bool approve,
                                            std::string reason) {
  AuditedWrite write(store_, auditor_, decider,
                     approve ? "approval.approve" : "approval.decline",
                     Target(id), Permission::kApprovalDecide);
  ApprovalRecord decided;
  const KindHooks* hooks = nullptr;
  const Status status = write.Run([&](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(write.Authorize());
    WARDEN_ASSIGN_OR_RETURN(decided, Load(tx, id));
    WARDEN_RETURN_IF_ERROR(
        CheckFourEyes(tx, write, decider.principal, decided.requester,
                      "approval " + decided.id, "self-approval"));
    WARDEN_RETURN_IF_ERROR(CheckApprover(write, decider.principal, decided));
    WARDEN_RETURN_IF_ERROR(CheckRequiredText("reason", reason, kMaxTextLength));
    WARDEN_RETURN_IF_ERROR(CheckDecidable(decided, write.now()));
    MarkDecided(decided, decider.principal, approve, reason, write.now());
    WARDEN_RETURN_IF_ERROR(tx.approvals().Update(decided));
    hooks = HooksOf(decided.kind);
    if (hooks != nullptr && hooks->effect) {
      WARDEN_RETURN_IF_ERROR(hooks->effect(tx, decided));
    }
    return write.Record(tx, Describe(decided));
  });
  if (!status.ok()) return status;
  if (hooks != nullptr && hooks->after_commit) hooks->after_commit(decided);
  return ApprovalView{std::move(decided)};
}

Status ApprovalEngine::SettleIn(Transaction& tx, const Caller& decider,
                                std::string_view id, bool approve,
                                std::string reason) {
  Result<ApprovalRecord> found = tx.approvals().Get(id);
  if (!found.ok()) {
    return found.status().code() == StatusCode::kNotFound ? Status::Ok()
                                                          : found.status();
  }
  ApprovalRecord& a = *found;
  if (a.state != kStatePending) return Status::Ok();
  const Timestamp now = auditor_.clock().Now();
  MarkDecided(a, decider.principal, approve, std::move(reason), now);
  WARDEN_RETURN_IF_ERROR(tx.approvals().Update(a));
  boost::json::object details = Describe(a);
  details["permission"] = Name(Permission::kApprovalDecide);
  return auditor_.RecordInTransaction(
      tx, decider, approve ? "approval.approve" : "approval.decline",
      Target(a.id), std::move(details));
}

Result<ApprovalView> ApprovalEngine::View(Transaction& tx,
                                          ApprovalRecord record,
                                          Timestamp now) const {
  record.state = std::string(ShownState(record, now));
  ApprovalView view{std::move(record)};
  const KindHooks* hooks = HooksOf(view.record.kind);
  if (hooks != nullptr && hooks->describe) {
    WARDEN_ASSIGN_OR_RETURN(view.context_json,
                            hooks->describe(tx, view.record));
  }
  return view;
}

Result<ApprovalView> ApprovalEngine::Get(const Caller& caller,
                                         std::string_view id) {
  ApprovalView found;
  const Status status = auditor_.AuditedRead(
      caller, Permission::kApprovalRead, "approval.read", Target(id),
      [&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(ApprovalRecord record, Load(tx, id));
        WARDEN_ASSIGN_OR_RETURN(
            found, View(tx, std::move(record), auditor_.clock().Now()));
        return Status::Ok();
      });
  if (!status.ok()) return status;
  return found;
}

Result<Page<ApprovalView>> ApprovalEngine::ListIn(Transaction& tx,
                                                  const Caller& caller,
                                                  const ApprovalQuery& q,
                                                  const PageRequest& page,
                                                  Timestamp now) {
  WARDEN_RETURN_IF_ERROR(CheckQuery(q, page));
  std::string me;
  if (q.mine) {
    WARDEN_ASSIGN_OR_RETURN(me, AccountableHuman(tx, caller.principal.subject));
  }
  const std::vector<ApprovalFilter> filters =
      StoreFilters(q, caller.principal.role, me);
  Page<ApprovalView> out;
  PageRequest next = page;
  auto full = [&out, &page] {
    return static_cast<int>(out.items.size()) == page.limit;
  };
  for (int round = 0; round < kMaxInboxScans; ++round) {
    WARDEN_ASSIGN_OR_RETURN(MergedRows read, ReadRound(tx, filters, next));
    size_t consumed = 0;
    for (ApprovalRecord& row : read.rows) {
      if (full()) break;
      ++consumed;
      out.next_after_id = row.id;
      if (!Shows(row, q, me, now)) continue;
      WARDEN_ASSIGN_OR_RETURN(ApprovalView view, View(tx, std::move(row), now));
      out.items.push_back(std::move(view));
    }
    const bool more = consumed < read.rows.size() || read.more;
    if (!more) out.next_after_id.reset();
    if (!more || full()) return out;
    next.after_id = out.next_after_id;
  }
  return out;  // the cursor resumes after the last row read
}

Result<Page<ApprovalView>> ApprovalEngine::List(const Caller& caller,
                                                const ApprovalQuery& query,
                                                const PageRequest& page) {
  Page<ApprovalView> found;
  const Status status = auditor_.AuditedRead(
      caller, Permission::kApprovalRead, "approval.list", "approval",
      [&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(
            found, ListIn(tx, caller, query, page, auditor_.clock().Now()));
        return Status::Ok();
      },
      {{"state", query.state}, {"mine", query.mine}, {"limit", page.limit}});
  if (!status.ok()) return status;
  return found;
}

Result<int> ApprovalEngine::ExpireDue() {
  const Caller system = SystemCaller();
  int total = 0;
  for (;;) {
    int batch = 0;
    const Status status = store_.Write([&](Transaction& tx) -> Status {
      batch = 0;
      const Timestamp now = auditor_.clock().Now();
      WARDEN_ASSIGN_OR_RETURN(
          std::vector<ApprovalRecord> due,
          tx.approvals().ListExpired(now, kExpirySweepBatch));
      for (ApprovalRecord& a : due) {
        a.state = std::string(kStateExpired);
        a.version += 1;
        WARDEN_RETURN_IF_ERROR(tx.approvals().Update(a));
        const KindHooks* hooks = HooksOf(a.kind);
        if (hooks != nullptr && hooks->on_expire) {
          WARDEN_RETURN_IF_ERROR(hooks->on_expire(tx, a));
        }
        WARDEN_RETURN_IF_ERROR(auditor_.RecordInTransaction(
            tx, system, "approval.expire", Target(a.id), Describe(a)));
        ++batch;
      }
      return Status::Ok();
    });
    if (!status.ok()) return status.WithContext("approval expiry sweep");
    total += batch;
    if (batch < kExpirySweepBatch) return total;
  }
}

}  // namespace warden::approvals
