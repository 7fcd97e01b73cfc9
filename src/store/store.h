// The Store: Warden's persistence boundary.
//
// Repositories per aggregate, reached through an explicit transaction. The
// service layer sees only this header; nothing SQLite- or PostgreSQL-specific
// leaks through it, so every implementation passes the same store test suite
// (store_test.cc, parameterised over implementations).
//
// Writes are group-committed: Write() hands a unit of work to the store,
// which runs it inside a (possibly shared) database transaction, isolated
// from the other units in that transaction by a savepoint, and returns only
// after the transaction is durably committed. A unit that returns a non-OK
// Status is rolled back alone; if the commit itself fails, every unit in it
// fails. Callers therefore see exactly "durably applied" or "not applied".
//
// Thread safety: Store methods may be called from any thread concurrently.
// A Transaction must only be used by the thread running the unit of work it
// was passed to, and only during that call.
#ifndef WARDEN_STORE_STORE_H_
#define WARDEN_STORE_STORE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/api_token.h"
#include "core/audit_record.h"
#include "core/identity.h"
#include "core/policy_exception.h"
#include "core/status.h"
#include "core/team.h"
#include "store/audit_sink_cursor_repository.h"
#include "store/break_glass_repository.h"
#include "store/certificate_repository.h"
#include "store/exposure_records.h"
#include "store/oauth_records.h"
#include "store/posture_records.h"
#include "store/release_records.h"
#include "store/secret_repository.h"
#include "store/signin_records.h"

namespace warden {

// Errors: kNotFound for a missing key, kAlreadyExists for a unique-key
// violation, kFailedPrecondition for a foreign-key violation, kUnavailable
// for I/O failures (disk full, fsync failed, database locked too long).

class TeamRepository {
 public:
  virtual ~TeamRepository() = default;
  virtual Status Insert(const Team& team) = 0;
  virtual Status Update(const Team& team) = 0;
  virtual Result<Team> Get(std::string_view name) = 0;
  virtual Result<std::vector<Team>> List() = 0;  // ordered by name
  // kFailedPrecondition while any identity names the team as owner.
  virtual Status Delete(std::string_view name) = 0;
};

class IdentityRepository {
 public:
  virtual ~IdentityRepository() = default;
  virtual Status Insert(const Identity& identity) = 0;
  // Compare-and-set on version: replaces the row whose version is
  // identity.version - 1; kFailedPrecondition (problem "version-conflict")
  // when the stored version differs.
  virtual Status Update(const Identity& identity) = 0;
  virtual Result<Identity> Get(std::string_view id) = 0;
  virtual Result<Identity> GetByName(std::string_view name) = 0;
  virtual Result<Page<Identity>> List(const IdentityFilter& filter,
                                      const PageRequest& page) = 0;
  virtual Result<int64_t> CountByOwner(std::string_view team) = 0;
  // Active identities with expires_at <= now, for the expiry sweep.
  virtual Result<std::vector<Identity>> ListExpiredActive(Timestamp now,
                                                          int limit) = 0;
  // Batched usage: sets last_used_at = max(stored, at). Missing ids ignored.
  virtual Status TouchLastUsed(std::string_view id, Timestamp at) = 0;
  // kNotFound when no identity carries `external_id` (empty never matches).
  virtual Result<Identity> GetByExternalId(std::string_view external_id) = 0;
  virtual Result<int64_t> Count(const IdentityFilter& filter) = 0;
};

class PolicyExceptionRepository {
 public:
  virtual ~PolicyExceptionRepository() = default;
  virtual Status Insert(const PolicyException& exception) = 0;
  virtual Status Update(const PolicyException& exception) = 0;
  virtual Result<PolicyException> Get(std::string_view id) = 0;
  // Ordered by created_at; empty identity_name lists all.
  virtual Result<std::vector<PolicyException>> List(
      std::string_view identity_name) = 0;
};

class UserRepository {
 public:
  virtual ~UserRepository() = default;
  virtual Status Insert(const User& user) = 0;
  virtual Status Update(const User& user) = 0;
  virtual Result<User> Get(std::string_view name) = 0;
  virtual Result<std::vector<User>> List() = 0;
};

class ApiTokenRepository {
 public:
  virtual ~ApiTokenRepository() = default;
  virtual Status Insert(const ApiToken& token) = 0;
  virtual Status Update(const ApiToken& token) = 0;
  virtual Result<ApiToken> Get(std::string_view id) = 0;
  virtual Result<ApiToken> GetBySecretHash(std::string_view secret_hash) = 0;
  virtual Result<std::vector<ApiToken>> List() = 0;  // ordered by id
  // Sets last_used_at = max(stored, at); a missing id is ignored. Advisory
  // usage: unlike Update, not a change caches of the token must see.
  virtual Status TouchLastUsed(std::string_view id, Timestamp at) = 0;
};

// Where the chain starts once its oldest records were archived and pruned
// (audit/audit_anchor.h): the last pruned record's sequence, link hash and
// hash format, signed by the checkpoint key (which the database never
// holds), so nobody with write access to the database alone can move it.
// Verification starts from it instead of the genesis hash.
struct AuditAnchorRecord {
  int64_t sequence = 0;
  std::string hash;  // 64 lowercase hex digits
  int format = static_cast<int>(AuditHashFormat::kSha256);
  int64_t time_us = 0;    // when the records were pruned
  std::string key_id;     // the signing key's id (16 hex digits)
  std::string signature;  // 64 raw bytes
};

class AuditLog {
 public:
  virtual ~AuditLog() = default;
  // Appends at the head of the chain within the current transaction. A
  // store opened with the audit key appends keyed records (HMAC-SHA-256,
  // audit_record.h format 2); one opened without it appends format 1 and
  // refuses (kFailedPrecondition, "audit-key-required") once the chain
  // holds a keyed record, since the switch is one-way.
  virtual Result<AuditRecord> Append(const AuditEvent& event) = 0;
  virtual Result<std::vector<AuditRecord>> Query(const AuditFilter& filter) = 0;
  // The last record, or nullopt for an empty log.
  virtual Result<std::optional<AuditRecord>> Head() = 0;
  // Visits the records with first <= sequence <= last in sequence order,
  // without a copy per record (the view is valid during the call only);
  // stops early when `visit` returns false. For verification.
  virtual Status Scan(
      int64_t first, int64_t last,
      const std::function<bool(const AuditRecordView&)>& visit) = 0;
  // The chain anchor, or nullopt while no record was ever pruned.
  virtual Result<std::optional<AuditAnchorRecord>> Anchor() = 0;
  // Within the current transaction: deletes every record with sequence <=
  // anchor.sequence and stores `anchor` in place of the current one; the
  // caller appends the audit record of the prune in the same transaction.
  // Returns how many records were deleted. Compare-and-set, so that of
  // several processes pruning at once one wins:
  //   kFailedPrecondition ("audit-anchor-conflict") unless the stored
  //   anchor's sequence is `expected_sequence` (0: no anchor yet);
  //   kFailedPrecondition ("audit-anchor-mismatch") unless record
  //   anchor.sequence exists with anchor.hash and a newer record follows
  //   it (the head is never pruned).
  virtual Result<int64_t> Prune(int64_t expected_sequence,
                                const AuditAnchorRecord& anchor) = 0;
};

// The audit chain's head after a commit: what a signed checkpoint covers.
struct AuditHead {
  int64_t sequence = 0;  // 0: empty log
  std::string hash = kAuditGenesisHash;
};

// Told by the store whenever a durable commit advanced the audit chain
// (audit/audit_checkpointer.h turns that into signed checkpoints).
// Thread safety: called from the store's writer thread, one call at a time.
class AuditHeadListener {
 public:
  virtual ~AuditHeadListener() = default;
  // Called before each commit that appends records: waits (bounded) until
  // the head last passed to OnCommitted is recorded, so the record of
  // heads lags the database by at most the batch being committed.
  virtual void AwaitRecorded() = 0;
  // `head` is durably committed. Must not block on I/O.
  virtual void OnCommitted(const AuditHead& head) = 0;
};

// Small key/value settings owned by the application (e.g. bootstrap state).
class SettingsRepository {
 public:
  virtual ~SettingsRepository() = default;
  virtual Result<std::optional<std::string>> Get(std::string_view key) = 0;
  virtual Status Put(std::string_view key, std::string_view value) = 0;
};

// Flags of every environment. Lists are ordered by key.
class FlagRepository {
 public:
  virtual ~FlagRepository() = default;
  // kAlreadyExists when (environment, key) exists, archived or not.
  virtual Status Insert(const FlagRecord& flag) = 0;
  // Compare-and-set on version, as IdentityRepository::Update.
  virtual Status Update(const FlagRecord& flag) = 0;
  virtual Result<FlagRecord> Get(Environment environment,
                                 std::string_view key) = 0;
  virtual Result<std::vector<FlagRecord>> List(Environment environment,
                                               bool include_archived) = 0;
  // Batched evaluation bookkeeping: last_evaluated_at = max(stored, at) for
  // each key; unknown keys are ignored. Does not change version.
  virtual Status TouchLastEvaluated(Environment environment,
                                    const std::vector<std::string>& keys,
                                    Timestamp at) = 0;
};

class TenantRepository {
 public:
  virtual ~TenantRepository() = default;
  virtual Status Insert(const TenantRecord& tenant) = 0;
  // Compare-and-set on version.
  virtual Status Update(const TenantRecord& tenant) = 0;
  virtual Result<TenantRecord> Get(std::string_view key) = 0;
  virtual Result<std::vector<TenantRecord>> List() = 0;  // ordered by key
  // One keyset page in key order, after `page.after_id`.
  virtual Result<Page<TenantRecord>> ListPage(const TenantFilter& filter,
                                              const PageRequest& page) = 0;
};

class SegmentRepository {
 public:
  virtual ~SegmentRepository() = default;
  virtual Status Insert(const SegmentRecord& segment) = 0;
  // Compare-and-set on version; members are not touched.
  virtual Status Update(const SegmentRecord& segment) = 0;
  virtual Result<SegmentRecord> Get(std::string_view key) = 0;
  virtual Result<std::vector<SegmentRecord>> List() = 0;  // ordered by key
  // Adds explicit members (cost proportional to `tenant_keys`, not to the
  // segment's size); keys already present are skipped. Returns how many
  // were new. kNotFound for an unknown segment.
  virtual Result<int64_t> AddTenants(
      std::string_view key, const std::vector<std::string>& tenant_keys) = 0;
  // Returns how many were removed.
  virtual Result<int64_t> RemoveTenants(
      std::string_view key, const std::vector<std::string>& tenant_keys) = 0;
  // The explicit members, ordered.
  virtual Result<std::vector<std::string>> ListTenants(
      std::string_view key) = 0;
};

class ExposureLimitRepository {
 public:
  virtual ~ExposureLimitRepository() = default;
  virtual Status Insert(const ExposureLimitRecord& limit) = 0;
  virtual Status Update(const ExposureLimitRecord& limit) = 0;
  virtual Result<ExposureLimitRecord> Get(std::string_view id) = 0;
  // Ordered by created_at then id; `active_only` skips lifted limits.
  virtual Result<std::vector<ExposureLimitRecord>> List(bool active_only) = 0;
};

class ReleaseRepository {
 public:
  virtual ~ReleaseRepository() = default;
  virtual Status Insert(const ReleaseRecord& release) = 0;
  // Compare-and-set on version; the dependency lists are not updated.
  virtual Status Update(const ReleaseRecord& release) = 0;
  virtual Result<ReleaseRecord> Get(std::string_view id) = 0;
  // Newest first (ids are time-ordered); keyset pages on id.
  virtual Result<Page<ReleaseRecord>> List(const ReleaseFilter& filter,
                                           const PageRequest& page) = 0;
  // For each flag of `environment`, the newest release shipping it: the one
  // that governs its exposure. Ordered by flag key.
  virtual Result<std::vector<std::pair<std::string, std::string>>>
  GoverningReleases(Environment environment) = 0;
  // Releases whose next_advance_at <= now and state is active.
  virtual Result<std::vector<ReleaseRecord>> ListDue(Timestamp now,
                                                     int limit) = 0;
  virtual Status PutSignal(const SignalRecord& signal) = 0;
  // Ordered by name.
  virtual Result<std::vector<SignalRecord>> ListSignals(
      std::string_view release_id) = 0;
};

class ApprovalRepository {
 public:
  virtual ~ApprovalRepository() = default;
  virtual Status Insert(const ApprovalRecord& approval) = 0;
  // Compare-and-set on version.
  virtual Status Update(const ApprovalRecord& approval) = 0;
  virtual Result<ApprovalRecord> Get(std::string_view id) = 0;
  // Newest first; keyset pages on id.
  virtual Result<Page<ApprovalRecord>> List(const ApprovalFilter& filter,
                                            const PageRequest& page) = 0;
  // Pending approvals with expires_at <= now, for the expiry sweep.
  virtual Result<std::vector<ApprovalRecord>> ListExpired(Timestamp now,
                                                          int limit) = 0;
};

class ConsentRepository {
 public:
  virtual ~ConsentRepository() = default;
  // Inserts or replaces the (tenant, flag, kind) record.
  virtual Status Put(const ConsentRecord& consent) = 0;
  // Ordered by flag, kind.
  virtual Result<std::vector<ConsentRecord>> ListForTenant(
      std::string_view tenant_key) = 0;
  // Every record naming one of `flag_keys`, ordered by flag, tenant, kind.
  virtual Result<std::vector<ConsentRecord>> ListForFlags(
      const std::vector<std::string>& flag_keys) = 0;
};

// The OAuth authorization server's state. Compact on purpose:
// nothing here grows per issued token.
class OAuthRepository {
 public:
  virtual ~OAuthRepository() = default;
  // Insert or replace the credential of record.identity_id.
  virtual Status PutClientCredential(const ClientCredentialRecord& record) = 0;
  // kNotFound when the identity has no credential.
  virtual Result<ClientCredentialRecord> GetClientCredential(
      std::string_view identity_id) = 0;
  virtual Result<std::vector<SigningKeyRecord>> ListSigningKeys() = 0;
  // Replaces the whole key set (the ring's Export()).
  virtual Status ReplaceSigningKeys(
      const std::vector<SigningKeyRecord>& keys) = 0;
  // The serialised RevocationState, or nullopt before the first write.
  // Records a client assertion's jti until `expires_at`, shared by every
  // replica: kAlreadyExists when (client_id, jti) is recorded and not
  // expired at `now` (a replay). Drops every record expired at `now`.
  virtual Status RecordAssertionJti(std::string_view client_id,
                                    std::string_view jti, Timestamp expires_at,
                                    Timestamp now) = 0;
  virtual Result<std::optional<std::string>> GetRevocationState() = 0;
  virtual Status PutRevocationState(std::string_view document) = 0;
  // Flags gating an identity's tenant-bound tokens, ordered.
  virtual Result<std::vector<std::string>> GetGatingFlags(
      std::string_view identity_id) = 0;
  virtual Status SetGatingFlags(std::string_view identity_id,
                                const std::vector<std::string>& flag_keys) = 0;
  // The identities `flag_key` gates, ordered (a reverse view).
  virtual Result<std::vector<std::string>> ListIdentitiesGatedBy(
      std::string_view flag_key) = 0;
  // Batched usage: last_used_at = max(stored, at) per (identity, scope).
  virtual Status AddScopesUsed(std::string_view identity_id,
                               const std::vector<std::string>& scopes,
                               Timestamp at) = 0;
  virtual Result<std::vector<ScopeUsageRecord>> ListScopesUsed(
      std::string_view identity_id) = 0;
  // Range reads for sweeps over every identity: rows of identities with
  // after_id < identity_id <= last_id, ordered by identity id.
  virtual Result<std::vector<ScopeUsageRecord>> ListScopesUsedBetween(
      std::string_view after_id, std::string_view last_id) = 0;
  virtual Result<std::vector<ClientCredentialRecord>>
  ListClientCredentialsBetween(std::string_view after_id,
                               std::string_view last_id) = 0;
};

class FindingRepository {
 public:
  virtual ~FindingRepository() = default;
  virtual Status Insert(const FindingRecord& finding) = 0;
  // Compare-and-set on version.
  virtual Status Update(const FindingRecord& finding) = 0;
  virtual Result<FindingRecord> Get(std::string_view id) = 0;
  // Newest first; keyset pages on id.
  virtual Result<Page<FindingRecord>> List(const FindingFilter& filter,
                                           const PageRequest& page) = 0;
  // Every finding whose subject_key is in (after_key, last_key], ordered by
  // subject_key: what a sweep compares its fresh results with.
  virtual Result<std::vector<FindingRecord>> ListBySubjectBetween(
      std::string_view after_key, std::string_view last_key) = 0;
  // Grouped by rule, severity, owner, owasp and state.
  virtual Result<std::vector<FindingCount>> Count(
      const FindingFilter& filter) = 0;
};

class ObservationRepository {
 public:
  virtual ~ObservationRepository() = default;
  // Inserts, or updates the (kind, key) row keeping its id and first_seen.
  virtual Status Put(const ObservationRecord& observation) = 0;
  virtual Result<ObservationRecord> Get(std::string_view kind,
                                        std::string_view key) = 0;
  // Ordered by (kind, key); the page cursor is "kind/key" of the last row.
  virtual Result<Page<ObservationRecord>> List(const ObservationFilter& filter,
                                               const PageRequest& page) = 0;
  virtual Result<int64_t> Count(const ObservationFilter& filter) = 0;
  // Present observations of the given kinds (identities in their own
  // right), and how many of them match an inventoried identity that is not
  // a draft. With owner, application or environment set in `scope`, only
  // observations matched to identities of that scope count.
  virtual Result<std::pair<int64_t, int64_t>> CountInventoried(
      const std::vector<std::string>& kinds, const IdentityFilter& scope) = 0;
  // Marks "gone" the observations of (source, target) last seen before
  // `before`; returns how many changed.
  virtual Result<int64_t> MarkGone(std::string_view source,
                                   std::string_view target,
                                   Timestamp before) = 0;
  // Identities with an external id that no present observation matches:
  // inventoried but not seen. Keyset pages on identity id.
  virtual Result<Page<Identity>> ListMissing(const PageRequest& page) = 0;
  virtual Result<int64_t> CountMissing() = 0;
  virtual Status PutScan(const ScanRunRecord& scan) = 0;
  virtual Result<ScanRunRecord> GetScan(std::string_view id) = 0;
  // Newest first.
  virtual Result<std::vector<ScanRunRecord>> ListScans(int limit) = 0;
};

class ReviewRepository {
 public:
  virtual ~ReviewRepository() = default;
  virtual Status InsertCampaign(const ReviewCampaignRecord& campaign) = 0;
  // Compare-and-set on version.
  virtual Status UpdateCampaign(const ReviewCampaignRecord& campaign) = 0;
  virtual Result<ReviewCampaignRecord> GetCampaign(std::string_view id) = 0;
  // Newest first; keyset pages on id.
  virtual Result<Page<ReviewCampaignRecord>> ListCampaigns(
      std::string_view state, const PageRequest& page) = 0;
  // Open campaigns with due_at <= now.
  virtual Result<std::vector<ReviewCampaignRecord>> ListDue(Timestamp now) = 0;
  virtual Status PutItem(const ReviewItemRecord& item) = 0;
  virtual Result<ReviewItemRecord> GetItem(std::string_view campaign_id,
                                           std::string_view identity_id) = 0;
  // Keyset pages on identity id; empty `decision` lists every item.
  virtual Result<Page<ReviewItemRecord>> ListItems(std::string_view campaign_id,
                                                   std::string_view decision,
                                                   const PageRequest& page) = 0;
  // Items of a campaign per decision ("pending", "keep", "revoke").
  virtual Result<std::map<std::string, int64_t>> CountItems(
      std::string_view campaign_id) = 0;
  // Decisions "keep" of identities in (after_id, last_id], ordered by
  // identity id: the justification a review gives.
  virtual Result<std::vector<ReviewItemRecord>> ListKeptBetween(
      std::string_view after_id, std::string_view last_id) = 0;
};

class MaturityRepository {
 public:
  virtual ~MaturityRepository() = default;
  virtual Status Insert(const MaturitySnapshotRecord& snapshot) = 0;
  // Newest first, at most `limit`.
  virtual Result<std::vector<MaturitySnapshotRecord>> List(
      std::string_view scope, int limit) = 0;
};

class UsageRepository {
 public:
  virtual ~UsageRepository() = default;
  // Merges each sighting into its (identity, network, agent, client) row:
  // uses add up, masks OR together, first/last seen widen.
  virtual Status AddSightings(
      const std::vector<UsageSightingRecord>& sightings) = 0;
  // Ordered by last_seen, newest first.
  virtual Result<std::vector<UsageSightingRecord>> ListSightings(
      std::string_view identity_id) = 0;
  // Rows of identities in (after_id, last_id], ordered by identity id.
  virtual Result<std::vector<UsageSightingRecord>> ListSightingsBetween(
      std::string_view after_id, std::string_view last_id) = 0;
};

class Transaction {
 public:
  virtual ~Transaction() = default;
  virtual TeamRepository& teams() = 0;
  virtual IdentityRepository& identities() = 0;
  virtual PolicyExceptionRepository& exceptions() = 0;
  virtual UserRepository& users() = 0;
  virtual ApiTokenRepository& api_tokens() = 0;
  virtual AuditLog& audit() = 0;
  virtual SettingsRepository& settings() = 0;
  virtual FlagRepository& flags() = 0;
  virtual TenantRepository& tenants() = 0;
  virtual SegmentRepository& segments() = 0;
  virtual ExposureLimitRepository& exposure_limits() = 0;
  virtual CertificateRepository& certificates() = 0;
  virtual SecretRepository& secrets() = 0;
  virtual BreakGlassRepository& break_glass() = 0;
  virtual OAuthRepository& oauth() = 0;
  virtual ReleaseRepository& releases() = 0;
  virtual ApprovalRepository& approvals() = 0;
  virtual ConsentRepository& consents() = 0;
  virtual FindingRepository& findings() = 0;
  virtual ObservationRepository& observations() = 0;
  virtual ReviewRepository& reviews() = 0;
  virtual MaturityRepository& maturity() = 0;
  virtual UsageRepository& usage() = 0;
  virtual UserCredentialRepository& user_credentials() = 0;
  virtual ConsoleSessionRepository& console_sessions() = 0;
  virtual OidcLoginRepository& oidc_logins() = 0;
  virtual AuditSinkCursorRepository& audit_sink_cursors() = 0;
};

using UnitOfWork = std::function<Status(Transaction&)>;

// Latency and batching observations, for /metrics. Called on the store's
// own threads; implementations must be thread-safe and cheap.
class StoreObserver {
 public:
  virtual ~StoreObserver() = default;
  virtual void OnCommit(std::chrono::microseconds latency, int units) = 0;
  virtual void OnRead(std::chrono::microseconds latency) = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Runs `work` in a write transaction and returns once it is durably
  // committed (or rolled back). Returns work's own error unchanged, or
  // kUnavailable when the commit fails. Blocks the calling thread.
  virtual Status Write(UnitOfWork work) = 0;

  // Called exactly once with the outcome of an asynchronous write.
  using WriteCallback = std::function<void(Status)>;

  // The asynchronous form of Write(): queues `work` and returns without
  // waiting. `done` is called exactly once with the outcome Write() would
  // have returned (work's own error, or kUnavailable when the commit failed
  // or the store is closed), and only after that outcome is final: OK means
  // the unit is durably committed. Outcomes of units queued by one thread
  // are decided in queue order, and `done` of an earlier unit runs before
  // the `done` of a later one.
  //
  // Where `done` runs: on a thread of the store (the group-commit writer in
  // the SQLite store, a connection's completion handler in a networked
  // store), or on the calling thread before WriteAsync returns when the
  // unit is refused at once (store closed). It must therefore be short and
  // non-blocking (hand the result to another executor), must not call
  // Write() (it could wait on itself), and must not throw (an exception is
  // logged and dropped). Close() decides every queued unit, so `done` is
  // never lost. `work` runs on the store's thread, as for Write().
  //
  // The default implementation runs Write() on the calling thread, for
  // stores without a native asynchronous path.
  virtual void WriteAsync(UnitOfWork work, WriteCallback done) {
    Status status = Write(std::move(work));
    done(std::move(status));
  }

  // Runs `work` on a consistent read snapshot. Writes through the repositories
  // fail with kInternal. May run concurrently with writes and other reads.
  virtual Status Read(UnitOfWork work) = 0;

  // Stops accepting work, finishes queued units, closes the database.
  // Idempotent; also done by the destructor.
  virtual void Close() = 0;

  // True while the store can serve (for /readyz).
  virtual bool Healthy() = 0;
};

}  // namespace warden

#endif  // WARDEN_STORE_STORE_H_
