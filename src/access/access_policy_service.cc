#include "access/access_policy_service.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstdio>

#include "core/crypto.h"
#include "policy/policy_compiler.h"
#include "service/audited_write.h"

namespace warden::access {
namespace {

constexpr size_t kMaxReasonLength = 2000;

std::string Target(Environment env) {
  return "access_policy/" + std::string(Name(env));
}

// The environment and version an access_policy approval names.
Result<std::pair<Environment, int64_t>> Subject(const ApprovalRecord& record) {
  boost::system::error_code error;
  boost::json::value subject = boost::json::parse(record.subject_json, error);
  const boost::json::object* o = error ? nullptr : subject.if_object();
  const boost::json::value* env = o ? o->if_contains("environment") : nullptr;
  const boost::json::value* version = o ? o->if_contains("version") : nullptr;
  std::optional<Environment> parsed;
  if (env != nullptr && env->is_string()) {
    parsed = ParseEnvironment(env->get_string());
  }
  if (!parsed || version == nullptr || !version->is_int64()) {
    return Status(StatusCode::kInternal,
                  "approval " + record.id + " names no policy version");
  }
  return std::pair{*parsed, version->get_int64()};
}

Status CheckProposal(const PolicyProposal& proposal) {
  if (proposal.reason.empty() || proposal.reason.size() > kMaxReasonLength) {
    return InvalidArgument("reason: is required (at most " +
                               std::to_string(kMaxReasonLength) + " bytes)",
                           "validation-failed");
  }
  return policy::CompilePolicyText(proposal.document).status();
}

}  // namespace

AccessPolicyService::AccessPolicyService(Store& store, Auditor& auditor,
                                         approvals::ApprovalEngine& approvals,
                                         AccessDecisionPoint& decisions)
    : store_(store),
      auditor_(auditor),
      approvals_(approvals),
      decisions_(decisions) {
  RegisterApprovalKind();
}

void AccessPolicyService::RegisterApprovalKind() {
  approvals::KindHooks hooks;
  hooks.effect = [this](Transaction& tx, const ApprovalRecord& record) {
    return Decided(tx, record);
  };
  hooks.on_expire = [this](Transaction& tx, const ApprovalRecord& record) {
    return Expired(tx, record);
  };
  hooks.after_commit = [this](const ApprovalRecord& record) {
    Result<std::pair<Environment, int64_t>> subject = Subject(record);
    if (subject.ok() && record.state == approvals::kStateApproved) {
      ReloadAfterCommit(subject->first);
    }
  };
  hooks.describe = [](Transaction& tx,
                      const ApprovalRecord& record) -> Result<std::string> {
    WARDEN_ASSIGN_OR_RETURN(auto subject, Subject(record));
    WARDEN_ASSIGN_OR_RETURN(PolicyVersion version,
                            ReadVersion(tx, subject.first, subject.second));
    return boost::json::serialize(ToJson(version, true));
  };
  approvals_.RegisterKind(approvals::kKindAccessPolicy, std::move(hooks));
}

// The version is durably active; a failed reload (a store read failing
// now) leaves the previous snapshot serving until the next change or
// restart, so it is logged, not returned to a caller whose change stands.
void AccessPolicyService::ReloadAfterCommit(Environment env) {
  const Status reloaded = decisions_.Reload(env);
  if (!reloaded.ok()) {
    std::fprintf(stderr, "access policy: reloading %s: %s\n",
                 std::string(Name(env)).c_str(), reloaded.ToString().c_str());
  }
}

Status AccessPolicyService::Decided(Transaction& tx,
                                    const ApprovalRecord& record) {
  WARDEN_ASSIGN_OR_RETURN(auto subject, Subject(record));
  WARDEN_ASSIGN_OR_RETURN(PolicyVersion version,
                          ReadVersion(tx, subject.first, subject.second));
  if (version.state != kPolicyPending) {
    return FailedPrecondition("policy version " +
                                  std::to_string(version.version) + " is " +
                                  version.state + ", not pending",
                              "policy-not-pending");
  }
  if (record.state == approvals::kStateApproved) {
    return Activate(tx, std::move(version), record.decided_by);
  }
  version.state = std::string(kPolicyDeclined);
  version.decided_by = record.decided_by;
  return WriteVersion(tx, version);
}

Status AccessPolicyService::Expired(Transaction& tx,
                                    const ApprovalRecord& record) {
  WARDEN_ASSIGN_OR_RETURN(auto subject, Subject(record));
  WARDEN_ASSIGN_OR_RETURN(PolicyVersion version,
                          ReadVersion(tx, subject.first, subject.second));
  if (version.state != kPolicyPending) return Status::Ok();
  version.state = std::string(kPolicyExpired);
  return WriteVersion(tx, version);
}

Result<PolicyVersion> AccessPolicyService::Propose(const Caller& caller,
                                                   PolicyProposal proposal) {
  const Environment env = proposal.environment;
  AuditedWrite write(store_, auditor_, caller, "access_policy.propose",
                     Target(env), Permission::kAccessPolicyWrite);
  PolicyVersion stored;
  // Compiled before the write unit: a large policy must not hold the
  // store's writer. Its verdict is given only to an authorized caller.
  const Status valid = CheckProposal(proposal);
  const Status status = write.Run([&](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(write.Authorize());
    WARDEN_RETURN_IF_ERROR(valid);
    WARDEN_ASSIGN_OR_RETURN(PolicyHead head, ReadHead(tx, env));
    stored = PolicyVersion{};
    stored.environment = env;
    stored.version = head.latest + 1;
    stored.state = std::string(kPolicyPending);
    stored.sha256 = Sha256Hex(proposal.document);
    stored.document = std::move(proposal.document);
    stored.reason = std::move(proposal.reason);
    stored.created_by = caller.principal.subject;
    stored.created_at = write.now();
    if (env == Environment::kProduction) {
      approvals::ApprovalRequest request;
      request.kind = std::string(approvals::kKindAccessPolicy);
      request.subject_json = boost::json::serialize(
          boost::json::object{{"environment", Name(env)},
                              {"version", stored.version},
                              {"sha256", stored.sha256}});
      request.reason = stored.reason;
      WARDEN_ASSIGN_OR_RETURN(ApprovalRecord approval,
                              approvals_.RequestIn(tx, caller, request));
      stored.approval_id = approval.id;
    }
    WARDEN_RETURN_IF_ERROR(WriteVersion(tx, stored));
    head.latest = stored.version;
    WARDEN_RETURN_IF_ERROR(WriteHead(tx, env, head));
    if (env != Environment::kProduction) {
      WARDEN_RETURN_IF_ERROR(Activate(tx, stored, caller.principal.subject));
      stored.state = std::string(kPolicyActive);
    }
    return write.Record(tx, {{"version", stored.version},
                             {"state", stored.state},
                             {"sha256", stored.sha256},
                             {"approval_id", stored.approval_id}});
  });
  WARDEN_RETURN_IF_ERROR(status);
  if (stored.state == kPolicyActive) ReloadAfterCommit(env);
  return stored;
}

Result<std::vector<PolicyVersion>> AccessPolicyService::List(
    const Caller& caller, Environment env) {
  std::vector<PolicyVersion> versions;
  WARDEN_RETURN_IF_ERROR(auditor_.AuditedRead(
      caller, Permission::kAccessPolicyRead, "access_policy.list", Target(env),
      [&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(versions, ReadVersions(tx, env));
        return Status::Ok();
      }));
  return versions;
}

Result<PolicyVersion> AccessPolicyService::Get(const Caller& caller,
                                               Environment env,
                                               int64_t version) {
  PolicyVersion found;
  WARDEN_RETURN_IF_ERROR(auditor_.AuditedRead(
      caller, Permission::kAccessPolicyRead, "access_policy.read", Target(env),
      [&](Transaction& tx) -> Status {
        int64_t wanted = version;
        if (wanted == 0) {
          WARDEN_ASSIGN_OR_RETURN(PolicyHead head, ReadHead(tx, env));
          if (head.active == 0) {
            return NotFound(std::string(Name(env)) +
                            " has no active access policy");
          }
          wanted = head.active;
        }
        WARDEN_ASSIGN_OR_RETURN(found, ReadVersion(tx, env, wanted));
        return Status::Ok();
      }));
  return found;
}

}  // namespace warden::access
