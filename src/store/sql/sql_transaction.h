// Transaction in SQL (either store): the repositories of one unit of work, all
// on the connection the unit runs on. The store begins and ends the database
// transaction (or savepoint) around it; this object only hands out
// repositories.
//
// Thread safety: used by the one thread running the unit, during the call.
#ifndef WARDEN_STORE_SQL_SQL_TRANSACTION_H_
#define WARDEN_STORE_SQL_SQL_TRANSACTION_H_

#include "store/sql/repository_context.h"
#include "store/sql/sql_api_token_repository.h"
#include "store/sql/sql_approval_repository.h"
#include "store/sql/sql_audit_log.h"
#include "store/sql/sql_audit_sink_cursor_repository.h"
#include "store/sql/sql_break_glass_repository.h"
#include "store/sql/sql_certificate_repository.h"
#include "store/sql/sql_consent_repository.h"
#include "store/sql/sql_console_session_repository.h"
#include "store/sql/sql_exposure_limit_repository.h"
#include "store/sql/sql_finding_repository.h"
#include "store/sql/sql_flag_repository.h"
#include "store/sql/sql_identity_repository.h"
#include "store/sql/sql_maturity_repository.h"
#include "store/sql/sql_oauth_repository.h"
#include "store/sql/sql_observation_repository.h"
#include "store/sql/sql_oidc_login_repository.h"
#include "store/sql/sql_policy_exception_repository.h"
#include "store/sql/sql_release_repository.h"
#include "store/sql/sql_review_repository.h"
#include "store/sql/sql_secret_repository.h"
#include "store/sql/sql_segment_repository.h"
#include "store/sql/sql_settings_repository.h"
#include "store/sql/sql_team_repository.h"
#include "store/sql/sql_tenant_repository.h"
#include "store/sql/sql_usage_repository.h"
#include "store/sql/sql_user_credential_repository.h"
#include "store/sql/sql_user_repository.h"
#include "store/store.h"

namespace warden::sql {

class SqlTransaction final : public Transaction {
 public:
  // `writable` false: every repository write returns kInternal.
  // `audit_key` (may be null, must outlive this) keys appended audit
  // records. `changed` (may be null, must outlive this) collects the
  // ChangeKeys of the rows written.
  SqlTransaction(Connection& connection, bool writable,
                 const AuditChainKey* audit_key = nullptr,
                 std::vector<std::string>* changed = nullptr);
  SqlTransaction(const SqlTransaction&) = delete;
  SqlTransaction& operator=(const SqlTransaction&) = delete;

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
  AuditSinkCursorRepository& audit_sink_cursors() override {
    return audit_sink_cursors_;
  }

 private:
  RepositoryContext context_;
  SqlTeamRepository teams_;
  SqlIdentityRepository identities_;
  SqlPolicyExceptionRepository exceptions_;
  SqlUserRepository users_;
  SqlApiTokenRepository api_tokens_;
  SqlAuditLog audit_;
  SqlSettingsRepository settings_;
  SqlFlagRepository flags_;
  SqlTenantRepository tenants_;
  SqlSegmentRepository segments_;
  SqlExposureLimitRepository exposure_limits_;
  SqlCertificateRepository certificates_;
  SqlSecretRepository secrets_;
  SqlBreakGlassRepository break_glass_;
  SqlOAuthRepository oauth_;
  SqlReleaseRepository releases_;
  SqlApprovalRepository approvals_;
  SqlConsentRepository consents_;
  SqlFindingRepository findings_;
  SqlObservationRepository observations_;
  SqlReviewRepository reviews_;
  SqlMaturityRepository maturity_;
  SqlUsageRepository usage_;
  SqlUserCredentialRepository user_credentials_;
  SqlConsoleSessionRepository console_sessions_;
  SqlOidcLoginRepository oidc_logins_;
  SqlAuditSinkCursorRepository audit_sink_cursors_;
};

// Runs `work` on `transaction`, turning an escaping exception into
// kInternal: exceptions never cross the store's boundary.
Status RunUnitOfWork(const UnitOfWork& work, Transaction& transaction);

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_SQL_TRANSACTION_H_
