#include "custody/break_glass_service.h"

#include <fmt/format.h>

#include <boost/json/serialize.hpp>

#include "core/id.h"
#include "core/time_format.h"
#include "custody/certificate_service.h"
#include "service/audited_write.h"
#include "service/field_checks.h"
#include "service/four_eyes.h"

namespace warden::custody {
namespace {

constexpr size_t kMaxReasonLength = 2000;
constexpr char kSweepSubject[] = "system:break-glass-expiry";

std::string BreakGlassTarget(std::string_view id) {
  return fmt::format("break-glass/{}", id);
}

boost::json::object Describe(const BreakGlassRecord& r) {
  return {{"severity", "high"}, {"break_glass_id", r.id},
          {"kind", r.kind},     {"target", r.target_name},
          {"reason", r.reason}, {"expires_at", FormatRfc3339(r.expires_at)}};
}

BreakGlassRecord NewRecord(const Caller& caller, std::string kind,
                           std::string target_id, std::string target_name,
                           std::string_view reason, Timestamp now,
                           std::chrono::seconds window) {
  BreakGlassRecord r;
  r.id = NewId(now);
  r.kind = std::move(kind);
  r.target_id = std::move(target_id);
  r.target_name = std::move(target_name);
  r.actor = caller.principal.subject;
  r.reason = std::string(reason);
  r.created_at = now;
  r.expires_at = now + window;
  return r;
}

Caller SweepCaller() {
  Caller caller;
  caller.principal.subject = kSweepSubject;
  caller.principal.role = Role::kAdmin;
  caller.request_id = "break-glass-expiry";
  return caller;
}

}  // namespace

std::string BreakGlassEventJson(const BreakGlassRecord& r) {
  boost::json::object body = Describe(r);
  body["type"] = "break_glass." + r.kind;
  body["actor"] = r.actor;
  body["created_at"] = FormatRfc3339(r.created_at);
  return boost::json::serialize(body);
}

Status BreakGlassService::CheckReason(std::string_view reason) const {
  WARDEN_RETURN_IF_ERROR(CheckRequiredText("reason", reason, kMaxReasonLength));
  if (reason.size() < kMinBreakGlassReasonLength) {
    return FieldError("reason", "must explain the emergency (10+ characters)");
  }
  return Status::Ok();
}

void BreakGlassService::Alert(const BreakGlassRecord& record) {
  webhooks_.Notify("break_glass." + record.kind, BreakGlassEventJson(record));
}

Result<BreakGlassSecretRead> BreakGlassService::ReadSecret(
    const Caller& caller, std::string_view secret_name,
    std::string_view reason) {
  AuditedWrite write(store_, auditor_, caller, "break_glass.secret_read",
                     fmt::format("secret/{}", secret_name),
                     Permission::kBreakGlass);
  BreakGlassSecretRead result;
  const Status status = write.Run([&](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(write.Authorize());
    WARDEN_RETURN_IF_ERROR(CheckReason(reason));
    WARDEN_ASSIGN_OR_RETURN(SecretRecord secret,
                            LoadSecretByName(tx, secret_name));
    result.record = NewRecord(caller, "secret_read", secret.id, secret.name,
                              reason, write.now(), kDefaultBreakGlassWindow);
    WARDEN_ASSIGN_OR_RETURN(result.value,
                            secrets_.OpenActive(tx, secret, write.now()));
    WARDEN_RETURN_IF_ERROR(tx.break_glass().Insert(result.record));
    return write.Record(tx, Describe(result.record));
  });
  if (!status.ok()) return status;
  Alert(result.record);
  return result;
}

Result<BreakGlassRecord> BreakGlassService::Reactivate(
    const Caller& caller, std::string_view identity, std::string_view reason,
    std::chrono::seconds window) {
  AuditedWrite write(store_, auditor_, caller, "break_glass.reactivate",
                     fmt::format("identity/{}", identity),
                     Permission::kBreakGlass);
  BreakGlassRecord record;
  const Status status = write.Run([&](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(write.Authorize());
    WARDEN_RETURN_IF_ERROR(CheckReason(reason));
    if (window.count() <= 0 || window > kMaxBreakGlassWindow) {
      return FieldError("duration_seconds", "must be between 1s and 8 hours");
    }
    WARDEN_ASSIGN_OR_RETURN(Identity subject, LoadIdentityByKey(tx, identity));
    if (subject.status != IdentityStatus::kSuspended) {
      return FailedPrecondition(
          fmt::format("identity {} is {}; break-glass re-activates only "
                      "suspended identities",
                      subject.name, Name(subject.status)),
          "identity-not-suspended");
    }
    record = NewRecord(caller, "identity_reactivation", subject.id,
                       subject.name, reason, write.now(), window);
    subject.status = IdentityStatus::kActive;
    subject.status_reason = "break-glass " + record.id;
    subject.updated_at = write.now();
    subject.version += 1;
    WARDEN_RETURN_IF_ERROR(tx.identities().Update(subject));
    WARDEN_RETURN_IF_ERROR(tx.break_glass().Insert(record));
    return write.Record(tx, Describe(record));
  });
  if (!status.ok()) return status;
  Alert(record);
  return record;
}

Result<std::optional<Identity>> BreakGlassService::EndOne(
    Transaction& tx, BreakGlassRecord& record, Timestamp now) {
  record.ended_at = now;
  WARDEN_RETURN_IF_ERROR(tx.break_glass().Update(record));
  WARDEN_ASSIGN_OR_RETURN(Identity subject,
                          tx.identities().Get(record.target_id));
  // Only undo our own re-activation; a later decision stands.
  if (subject.status != IdentityStatus::kActive ||
      subject.status_reason != "break-glass " + record.id) {
    return std::optional<Identity>();
  }
  subject.status = IdentityStatus::kSuspended;
  subject.status_reason = "break-glass " + record.id + " expired";
  subject.updated_at = now;
  subject.version += 1;
  WARDEN_RETURN_IF_ERROR(tx.identities().Update(subject));
  return std::optional<Identity>(std::move(subject));
}

Result<int> BreakGlassService::ExpireDue() {
  const Caller caller = SweepCaller();
  const Timestamp now = auditor_.clock().Now();
  std::vector<BreakGlassRecord> due;
  WARDEN_RETURN_IF_ERROR(store_.Read([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(due, tx.break_glass().ListDueReactivations(now));
    return Status::Ok();
  }));
  int ended = 0;
  for (BreakGlassRecord& record : due) {
    AuditedWrite write(store_, auditor_, caller, "break_glass.expire",
                       BreakGlassTarget(record.id),
                       Permission::kIdentityLifecycle);
    std::optional<Identity> resuspended;
    WARDEN_RETURN_IF_ERROR(write.Run([&](Transaction& tx) -> Status {
      WARDEN_ASSIGN_OR_RETURN(resuspended, EndOne(tx, record, write.now()));
      return write.Record(tx, Describe(record));
    }));
    if (resuspended && transition_listener_) transition_listener_(*resuspended);
    ++ended;
  }
  return ended;
}

Result<std::vector<BreakGlassRecord>> BreakGlassService::List(
    const Caller& caller, bool unreviewed_only) {
  std::vector<BreakGlassRecord> found;
  const Status status = auditor_.AuditedRead(
      caller, Permission::kBreakGlassReview, "break_glass.list", "break-glass",
      [&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(found, tx.break_glass().List(unreviewed_only));
        return Status::Ok();
      },
      {{"unreviewed_only", unreviewed_only}});
  if (!status.ok()) return status;
  return found;
}

Result<BreakGlassRecord> BreakGlassService::Review(const Caller& caller,
                                                   std::string_view id,
                                                   std::string_view note) {
  AuditedWrite write(store_, auditor_, caller, "break_glass.review",
                     BreakGlassTarget(id), Permission::kBreakGlassReview);
  BreakGlassRecord record;
  const Status status = write.Run([&](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(write.Authorize());
    WARDEN_ASSIGN_OR_RETURN(record, tx.break_glass().Get(id));
    WARDEN_RETURN_IF_ERROR(
        CheckFourEyes(tx, write, caller.principal, record.actor,
                      "break-glass " + record.id, "self-review"));
    if (!record.reviewed_by.empty()) {
      return FailedPrecondition("break-glass " + record.id +
                                    " was already reviewed by " +
                                    record.reviewed_by,
                                "already-reviewed");
    }
    WARDEN_RETURN_IF_ERROR(CheckText("note", note, kMaxReasonLength));
    record.reviewed_by = caller.principal.subject;
    record.reviewed_at = write.now();
    record.review_note = std::string(note);
    WARDEN_RETURN_IF_ERROR(tx.break_glass().Update(record));
    return write.Record(tx, {{"break_glass_id", record.id}});
  });
  if (!status.ok()) return status;
  return record;
}

}  // namespace warden::custody
