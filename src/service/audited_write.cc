#include "service/audited_write.h"

#include <utility>

namespace warden {

AuditedWrite::AuditedWrite(Store& store, Auditor& auditor, const Caller& caller,
                           std::string_view action, std::string target,
                           Permission permission)
    : store_(store),
      auditor_(auditor),
      caller_(caller),
      action_(action),
      target_(std::move(target)),
      permission_(permission),
      now_(auditor.clock().Now()),
      denied_permission_(permission) {}

Status AuditedWrite::Authorize(std::string_view owner_team) {
  return AuthorizeAlso(permission_, owner_team);
}

Status AuditedWrite::AuthorizeAlso(Permission permission,
                                   std::string_view owner_team) {
  AuthzDecision decision =
      warden::Authorize(caller_.principal, permission, owner_team);
  if (decision.allowed) return Status::Ok();
  denial_ = std::move(decision);
  denied_permission_ = permission;
  return PermissionDenied(denial_->reason);
}

Status AuditedWrite::Refuse(std::string reason, std::string problem) {
  denial_ = AuthzDecision{false, std::move(reason)};
  denied_permission_ = permission_;
  denial_problem_ = std::move(problem);
  return PermissionDenied(denial_->reason);
}

Status AuditedWrite::Record(Transaction& tx, boost::json::object details) {
  boost::json::object all = BaseDetails();
  for (auto& field : details) all[field.key()] = std::move(field.value());
  return auditor_.RecordInTransaction(tx, caller_, action_, target_,
                                      std::move(all));
}

Status AuditedWrite::Run(const UnitOfWork& work) {
  denial_.reset();
  const Status status = store_.Write(work);
  if (status.ok()) return status;
  if (denial_.has_value() && status.code() == StatusCode::kPermissionDenied) {
    const Status denied =
        auditor_.Deny(caller_, action_, target_, *denial_, BaseDetails());
    if (denial_problem_.empty() ||
        denied.code() != StatusCode::kPermissionDenied) {
      return denied;
    }
    return Status(StatusCode::kPermissionDenied, denied.message(),
                  denial_problem_);
  }
  return auditor_.Failed(caller_, action_, target_, status, BaseDetails());
}

boost::json::object AuditedWrite::BaseDetails() const {
  boost::json::object details;
  details["permission"] =
      Name(denial_.has_value() ? denied_permission_ : permission_);
  return details;
}

}  // namespace warden
