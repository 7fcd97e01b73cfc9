#include "oauth/identity_token_policy.h"

#include <algorithm>
#include <boost/json/value_from.hpp>

#include "core/vocabulary.h"
#include "service/audited_write.h"

namespace warden::oauth {
namespace {

constexpr size_t kMaxGatingFlags = 32;
// Flag keys are short identifiers; a gating list is an audit detail.
constexpr size_t kMaxGatingFlagKeyBytes = 256;

}  // namespace

std::string IdentityTokenPolicy::Refusal(const Identity& identity,
                                         Timestamp now) {
  if (identity.status != IdentityStatus::kActive) {
    return "identity is " + std::string(Name(identity.status));
  }
  if (identity.expires_at <= now) return "identity is expired";
  if (identity.owner.empty()) return "identity has no owner";
  return {};
}

Status IdentityTokenPolicy::CheckTenant(const Identity& identity,
                                        const std::string& tenant) {
  if (tenant.empty() || tenant.size() > kMaxTenantLength) {
    return Status(StatusCode::kInvalidArgument,
                  "tenant must be 1..200 characters", "invalid_request");
  }
  std::vector<std::string> flags;
  WARDEN_RETURN_IF_ERROR(store_.Read([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(flags, tx.oauth().GetGatingFlags(identity.id));
    return Status::Ok();
  }));
  Status exposed =
      gate_.Check(identity.environment, flags, tenant, auditor_.clock().Now());
  if (exposed.ok()) return exposed;
  return Status(StatusCode::kInvalidArgument, exposed.message(),
                "invalid_target");
}

Status IdentityTokenPolicy::SetGatingFlags(const Caller& caller,
                                           std::string_view identity_id,
                                           std::vector<std::string> flag_keys) {
  if (flag_keys.size() > kMaxGatingFlags) {
    return InvalidArgument("at most 32 gating flags", "validation-failed");
  }
  for (const std::string& key : flag_keys) {
    if (key.empty() || key.size() > kMaxGatingFlagKeyBytes) {
      return InvalidArgument("flags: each key must be 1..256 bytes",
                             "validation-failed");
    }
  }
  std::sort(flag_keys.begin(), flag_keys.end());
  flag_keys.erase(std::unique(flag_keys.begin(), flag_keys.end()),
                  flag_keys.end());
  AuditedWrite write(store_, auditor_, caller, "identity.gating_flags.set",
                     std::string(identity_id), Permission::kIdentityWrite);
  return write.Run([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(Identity identity,
                            tx.identities().Get(identity_id));
    WARDEN_RETURN_IF_ERROR(write.Authorize(identity.owner));
    WARDEN_RETURN_IF_ERROR(tx.oauth().SetGatingFlags(identity.id, flag_keys));
    boost::json::object details;
    details["flags"] = boost::json::value_from(flag_keys);
    return write.Record(tx, details);
  });
}

Result<std::vector<std::string>> IdentityTokenPolicy::GetGatingFlags(
    const Caller& caller, std::string_view identity_id) {
  std::vector<std::string> flags;
  WARDEN_RETURN_IF_ERROR(auditor_.AuditedRead(
      caller, Permission::kIdentityRead, "identity.gating_flags.get",
      identity_id, [&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(Identity identity,
                                tx.identities().Get(identity_id));
        WARDEN_ASSIGN_OR_RETURN(flags, tx.oauth().GetGatingFlags(identity.id));
        return Status::Ok();
      }));
  return flags;
}

Result<std::vector<ScopeUsageRecord>> IdentityTokenPolicy::ScopesUsed(
    const Caller& caller, std::string_view identity_id) {
  std::vector<ScopeUsageRecord> usage;
  WARDEN_RETURN_IF_ERROR(auditor_.AuditedRead(
      caller, Permission::kIdentityRead, "identity.scopes_used.get",
      identity_id, [&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(Identity identity,
                                tx.identities().Get(identity_id));
        WARDEN_ASSIGN_OR_RETURN(usage, tx.oauth().ListScopesUsed(identity.id));
        return Status::Ok();
      }));
  return usage;
}

}  // namespace warden::oauth
