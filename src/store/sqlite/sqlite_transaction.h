// Transaction on SQLite: the repositories of one unit of work, all on the
// connection the unit runs on. The store begins and ends the database
// transaction (or savepoint) around it; this object only hands out
// repositories.
//
// Thread safety: used by the one thread running the unit, during the call.
#ifndef WARDEN_STORE_SQLITE_SQLITE_TRANSACTION_H_
#define WARDEN_STORE_SQLITE_SQLITE_TRANSACTION_H_

#include "store/sqlite/repository_context.h"
#include "store/sqlite/sqlite_api_token_repository.h"
#include "store/sqlite/sqlite_approval_repository.h"
#include "store/sqlite/sqlite_audit_log.h"
#include "store/sqlite/sqlite_break_glass_repository.h"
#include "store/sqlite/sqlite_certificate_repository.h"
#include "store/sqlite/sqlite_consent_repository.h"
#include "store/sqlite/sqlite_console_session_repository.h"
#include "store/sqlite/sqlite_exposure_limit_repository.h"
#include "store/sqlite/sqlite_finding_repository.h"
#include "store/sqlite/sqlite_flag_repository.h"
#include "store/sqlite/sqlite_identity_repository.h"
#include "store/sqlite/sqlite_maturity_repository.h"
#include "store/sqlite/sqlite_oauth_repository.h"
#include "store/sqlite/sqlite_observation_repository.h"
#include "store/sqlite/sqlite_oidc_login_repository.h"
#include "store/sqlite/sqlite_policy_exception_repository.h"
#include "store/sqlite/sqlite_release_repository.h"
#include "store/sqlite/sqlite_review_repository.h"
#include "store/sqlite/sqlite_secret_repository.h"
#include "store/sqlite/sqlite_segment_repository.h"
#include "store/sqlite/sqlite_settings_repository.h"
#include "store/sqlite/sqlite_team_repository.h"
#include "store/sqlite/sqlite_tenant_repository.h"
#include "store/sqlite/sqlite_usage_repository.h"
#include "store/sqlite/sqlite_user_credential_repository.h"
#include "store/sqlite/sqlite_user_repository.h"
#include "store/store.h"

namespace warden::sqlite {

class SqliteTransaction final : public Transaction {
 public:
  // `writable` false: every repository write returns kInternal.
  // `audit_key` (may be null, must outlive this) keys appended audit
  // records. `changed` (may be null, must outlive this) collects the
  // ChangeKeys of the rows written.
  SqliteTransaction(Connection& connection, bool writable,
                    const AuditChainKey* audit_key = nullptr,
                    std::vector<std::string>* changed = nullptr);
  SqliteTransaction(const SqliteTransaction&) = delete;
  SqliteTransaction& operator=(const SqliteTransaction&) = delete;

  TeamRepository& teams() override { return teams_; }
  IdentityRepository& identities() override { return identities_; }
  PolicyExceptionRepository& exceptions() override { return exceptions_; }
  UserRepository& users() override { return users_; }
  ApiTokenRepository& api_tokens() override { return api_tokens_; }
  AuditLog& audit() override { return audit_; }
  SettingsRepository& settings() override { return settings_; }
  FlagRepository& flags() override { return flags_; }
  TenantRepository& tenants() override { return tenants_; }
  SegmentRepository& segments() override { return segments_; }
  ExposureLimitRepository& exposure_limits() override {
    return exposure_limits_;
  }
  CertificateRepository& certificates() override { return certificates_; }
  SecretRepository& secrets() override { return secrets_; }
  BreakGlassRepository& break_glass() override { return break_glass_; }
  OAuthRepository& oauth() override { return oauth_; }
  ReleaseRepository& releases() override { return releases_; }
  ApprovalRepository& approvals() override { return approvals_; }
  ConsentRepository& consents() override { return consents_; }
  FindingRepository& findings() override { return findings_; }
  ObservationRepository& observations() override { return observations_; }
  ReviewRepository& reviews() override { return reviews_; }
  MaturityRepository& maturity() override { return maturity_; }
  UsageRepository& usage() override { return usage_; }
  UserCredentialRepository& user_credentials() override {
    return user_credentials_;
  }
  ConsoleSessionRepository& console_sessions() override {
    return console_sessions_;
  }
  OidcLoginRepository& oidc_logins() override { return oidc_logins_; }

 private:
  RepositoryContext context_;
  SqliteTeamRepository teams_;
  SqliteIdentityRepository identities_;
  SqlitePolicyExceptionRepository exceptions_;
  SqliteUserRepository users_;
  SqliteApiTokenRepository api_tokens_;
  SqliteAuditLog audit_;
  SqliteSettingsRepository settings_;
  SqliteFlagRepository flags_;
  SqliteTenantRepository tenants_;
  SqliteSegmentRepository segments_;
  SqliteExposureLimitRepository exposure_limits_;
  SqliteCertificateRepository certificates_;
  SqliteSecretRepository secrets_;
  SqliteBreakGlassRepository break_glass_;
  SqliteOAuthRepository oauth_;
  SqliteReleaseRepository releases_;
  SqliteApprovalRepository approvals_;
  SqliteConsentRepository consents_;
  SqliteFindingRepository findings_;
  SqliteObservationRepository observations_;
  SqliteReviewRepository reviews_;
  SqliteMaturityRepository maturity_;
  SqliteUsageRepository usage_;
  SqliteUserCredentialRepository user_credentials_;
  SqliteConsoleSessionRepository console_sessions_;
  SqliteOidcLoginRepository oidc_logins_;
};

// Runs `work` on `transaction`, turning an escaping exception into
// kInternal: exceptions never cross the store's boundary.
Status RunUnitOfWork(const UnitOfWork& work, Transaction& transaction);

}  // namespace warden::sqlite

#endif  // WARDEN_STORE_SQLITE_SQLITE_TRANSACTION_H_
