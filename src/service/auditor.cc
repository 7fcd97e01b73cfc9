// Every record is built the same way: actor from the principal, details
// starting with request_id and remote, then the call's own fields. Records
// that do not ride on the caller's own write unit (denials, failures, reads,
// authentication failures) get a write unit of their own.
#include "service/auditor.h"

#include <boost/json/serialize.hpp>
#include <utility>

#include "core/principal.h"

namespace warden {
namespace {

constexpr std::string_view kOutcomeOk = "ok";
constexpr std::string_view kOutcomeDeny = "deny";

std::string ActorOf(const Caller& caller) {
  return caller.principal.subject.empty() ? kAnonymousSubject
                                          : caller.principal.subject;
}

std::string DetailsText(const Caller& caller, boost::json::object details) {
  boost::json::object out;
  out["request_id"] = caller.request_id;
  out["remote"] = caller.remote;
  for (auto& field : details) out[field.key()] = std::move(field.value());
  return boost::json::serialize(out);
}

AuditEvent MakeEvent(const Clock& clock, const Caller& caller,
                     std::string_view action, std::string_view target,
                     std::string_view outcome, boost::json::object details) {
  AuditEvent event;
  event.time = clock.Now();
  event.actor = ActorOf(caller);
  event.action = std::string(action);
  event.target = std::string(target);
  event.outcome = std::string(outcome);
  event.details = DetailsText(caller, std::move(details));
  return event;
}

Status AuditUnavailable(const Status& cause) {
  return Unavailable("audit log: could not record the decision: " +
                     cause.message());
}

}  // namespace

Status Auditor::RecordInTransaction(Transaction& tx, const Caller& caller,
                                    std::string_view action,
                                    std::string_view target,
                                    boost::json::object details) {
  const AuditEvent event =
      MakeEvent(clock_, caller, action, target, kOutcomeOk, std::move(details));
  return tx.audit().Append(event).status();
}

Status Auditor::RecordOutcomeInTransaction(Transaction& tx,
                                           const Caller& caller,
                                           std::string_view action,
                                           std::string_view target,
                                           std::string_view outcome,
                                           boost::json::object details) {
  const AuditEvent event =
      MakeEvent(clock_, caller, action, target, outcome, std::move(details));
  return tx.audit().Append(event).status();
}

Status Auditor::AppendAlone(const Caller& caller, std::string_view action,
                            std::string_view target, std::string_view outcome,
                            boost::json::object details) {
  const AuditEvent event =
      MakeEvent(clock_, caller, action, target, outcome, std::move(details));
  const Status status = store_.Write(
      [&event](Transaction& tx) { return tx.audit().Append(event).status(); });
  return status.ok() ? status : AuditUnavailable(status);
}

void Auditor::RecordAsync(const Caller& caller, std::string_view action,
                          std::string_view target, boost::json::object details,
                          Store::WriteCallback done) {
  store_.WriteAsync(
      [event = MakeEvent(clock_, caller, action, target, kOutcomeOk,
                         std::move(details))](Transaction& tx) {
        return tx.audit().Append(event).status();
      },
      [done = std::move(done)](Status status) {
        done(status.ok() ? status : AuditUnavailable(status));
      });
}

Status Auditor::Deny(const Caller& caller, std::string_view action,
                     std::string_view target, const AuthzDecision& decision,
                     boost::json::object details) {
  details["reason"] = decision.reason;
  WARDEN_RETURN_IF_ERROR(
      AppendAlone(caller, action, target, kOutcomeDeny, std::move(details)));
  return PermissionDenied(decision.reason);
}

Status Auditor::Failed(const Caller& caller, std::string_view action,
                       std::string_view target, const Status& error,
                       boost::json::object details) {
  details["error"] = error.message();
  details["problem"] = error.problem();
  WARDEN_RETURN_IF_ERROR(AppendAlone(caller, action, target,
                                     StatusCodeName(error.code()),
                                     std::move(details)));
  return error;
}

Status Auditor::AuthenticationFailed(std::string_view remote,
                                     std::string_view reason,
                                     std::string_view request_id) {
  Caller anonymous;
  anonymous.principal.subject = kAnonymousSubject;
  anonymous.remote = std::string(remote);
  anonymous.request_id = std::string(request_id);
  boost::json::object details;
  details["reason"] = reason;
  return AppendAlone(anonymous, "auth.authenticate", "token", kOutcomeDeny,
                     std::move(details));
}

Status Auditor::Authorize(const Caller& caller, Permission permission,
                          std::string_view action, std::string_view target,
                          std::string_view owner_team) {
  const AuthzDecision decision =
      warden::Authorize(caller.principal, permission, owner_team);
  if (decision.allowed) return Status::Ok();
  boost::json::object details;
  details["permission"] = Name(permission);
  return Deny(caller, action, target, decision, std::move(details));
}

Status Auditor::AuditedRead(const Caller& caller, Permission permission,
                            std::string_view action, std::string_view target,
                            const UnitOfWork& read,
                            boost::json::object details) {
  WARDEN_RETURN_IF_ERROR(Authorize(caller, permission, action, target));
  details["permission"] = Name(permission);
  const Status status = store_.Read(read);
  if (!status.ok()) {
    return Failed(caller, action, target, status, std::move(details));
  }
  return AppendAlone(caller, action, target, kOutcomeOk, std::move(details));
}

}  // namespace warden
