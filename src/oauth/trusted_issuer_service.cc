// RFC 8693 section 2.1: the trusted issuers of subject tokens.
#include "oauth/trusted_issuer_service.h"

#include <boost/json/array.hpp>
#include <cstdio>
#include <optional>

namespace warden::oauth {
namespace {

constexpr std::string_view kTarget = "trusted-issuers";

Status AdminOrSecurity(Auditor& auditor, const Caller& caller,
                       std::string_view action) {
  const Role role = caller.principal.role;
  if (role == Role::kAdmin || role == Role::kSecurity) return Status::Ok();
  return auditor.Deny(
      caller, action, kTarget,
      {false, "only admin and security manage trusted issuers"});
}

}  // namespace

TrustedIssuerService::TrustedIssuerService(Store& store, Auditor& auditor)
    : store_(store),
      auditor_(auditor),
      jwks_fetcher_(std::make_unique<outbound::JwksFetcher>()) {}

Status TrustedIssuerService::Set(const Caller& caller, std::string_view json) {
  constexpr std::string_view kAction = "oauth.trusted_issuers.set";
  WARDEN_RETURN_IF_ERROR(AdminOrSecurity(auditor_, caller, kAction));
  Result<TrustedIssuers> parsed = TrustedIssuers::Parse(json);
  // A file or URI source that cannot be read now refuses the document.
  Status loaded =
      parsed.ok() ? parsed->LoadKeys(*jwks_fetcher_) : parsed.status();
  if (!loaded.ok()) return auditor_.Failed(caller, kAction, kTarget, loaded);
  boost::json::array names;
  for (const TrustedIssuer& issuer : parsed->issuers()) {
    names.emplace_back(issuer.issuer);
  }
  Status written = store_.Write([&](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(tx.settings().Put(kTrustedIssuersSetting, json));
    return auditor_.RecordInTransaction(tx, caller, kAction, kTarget,
                                        {{"issuers", names}});
  });
  if (!written.ok()) return auditor_.Failed(caller, kAction, kTarget, written);
  InstallIssuers(std::string(json),
                 std::make_shared<const TrustedIssuers>(std::move(*parsed)),
                 auditor_.clock().Now());
  return Status::Ok();
}

Result<std::string> TrustedIssuerService::Get(const Caller& caller) {
  constexpr std::string_view kAction = "oauth.trusted_issuers.get";
  WARDEN_RETURN_IF_ERROR(AdminOrSecurity(auditor_, caller, kAction));
  std::optional<std::string> document;
  WARDEN_RETURN_IF_ERROR(auditor_.AuditedRead(
      caller, Permission::kAuditRead, kAction, kTarget,
      [&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(document,
                                tx.settings().Get(kTrustedIssuersSetting));
        return Status::Ok();
      }));
  return document.value_or("[]");
}

Result<std::string> TrustedIssuerService::MapSubjectToken(
    std::string_view subject_token) {
  std::optional<std::string> stored;
  WARDEN_RETURN_IF_ERROR(store_.Read([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(stored, tx.settings().Get(kTrustedIssuersSetting));
    return Status::Ok();
  }));
  const std::string document = stored.value_or("[]");
  WARDEN_ASSIGN_OR_RETURN(std::shared_ptr<const TrustedIssuers> issuers,
                          CurrentIssuers(document));
  const Timestamp now = auditor_.clock().Now();
  bool unknown_kid = false;
  Result<std::string> mapped =
      issuers->MapSubjectToken(subject_token, now, &unknown_kid);
  if (!mapped.ok() && unknown_kid && RefreshIssuerKeysForUnknownKid(now)) {
    WARDEN_ASSIGN_OR_RETURN(issuers, CurrentIssuers(document));
    mapped = issuers->MapSubjectToken(subject_token, now);
  }
  return mapped;
}

void TrustedIssuerService::RefreshKeys(Timestamp now) {
  {
    MutexLock lock(mu_);
    if (now - issuers_loaded_at_ < kIssuerKeysRefreshPeriod) return;
  }
  RefreshIssuerKeys(now);
}

Result<std::shared_ptr<const TrustedIssuers>>
TrustedIssuerService::CurrentIssuers(const std::string& document) {
  {
    MutexLock lock(mu_);
    if (issuers_ && issuers_document_ == document) return issuers_;
  }
  // First use of this document (e.g. after a restart): read its keys
  // without holding the lock; concurrent first uses may both read. A source
  // that fails now stays without keys (its tokens are refused) and is
  // retried by the rate-limited refreshes, never per request.
  WARDEN_ASSIGN_OR_RETURN(TrustedIssuers parsed,
                          TrustedIssuers::Parse(document));
  std::vector<std::string> failures;
  auto issuers = std::make_shared<const TrustedIssuers>(
      parsed.Refreshed(*jwks_fetcher_, failures));
  NoteRefreshFailures(failures);
  InstallIssuers(document, issuers, auditor_.clock().Now());
  return issuers;
}

void TrustedIssuerService::InstallIssuers(
    std::string document, std::shared_ptr<const TrustedIssuers> issuers,
    Timestamp loaded_at) {
  MutexLock lock(mu_);
  issuers_document_ = std::move(document);
  issuers_ = std::move(issuers);
  issuers_loaded_at_ = loaded_at;
}

// Re-reads file and URI key sets into a new immutable TrustedIssuers and
// swaps it in; the token endpoint keeps using the previous one meanwhile.
void TrustedIssuerService::RefreshIssuerKeys(Timestamp now) {
  std::shared_ptr<const TrustedIssuers> current;
  std::string document;
  {
    MutexLock lock(mu_);
    if (!issuers_ || !issuers_->has_remote_keys()) return;
    current = issuers_;
    document = issuers_document_;
  }
  std::vector<std::string> failures;
  auto refreshed = std::make_shared<const TrustedIssuers>(
      current->Refreshed(*jwks_fetcher_, failures));
  NoteRefreshFailures(failures);
  MutexLock lock(mu_);
  if (issuers_ != current) return;  // replaced meanwhile: keep the newer
  issuers_ = std::move(refreshed);
  issuers_document_ = std::move(document);
  issuers_loaded_at_ = now;
}

bool TrustedIssuerService::RefreshIssuerKeysForUnknownKid(Timestamp now) {
  const int64_t now_us = ToMicros(now);
  int64_t last = last_unknown_kid_refresh_us_.load();
  const int64_t min_gap_us =
      std::chrono::duration_cast<std::chrono::microseconds>(
          kUnknownKidRefreshMinInterval)
          .count();
  if (last != 0 && now_us - last < min_gap_us) return false;
  // One caller per interval wins; the others answer from the current set.
  if (!last_unknown_kid_refresh_us_.compare_exchange_strong(last, now_us)) {
    return false;
  }
  RefreshIssuerKeys(now);
  return true;
}

void TrustedIssuerService::NoteRefreshFailures(
    const std::vector<std::string>& failures) {
  for (const std::string& failure : failures) {
    jwks_refresh_failures_.fetch_add(1);
    std::fprintf(stderr, "trusted issuer keys refresh (kept last good): %s\n",
                 failure.c_str());
  }
}

}  // namespace warden::oauth
