// TrustedIssuerService: the trusted issuers of RFC 8693 token exchange
// (trusted_issuers.h holds the document's model and the subject token
// checks) as the running server holds them: the stored document, its issuers
// with their loaded keys, and the refresh of file and URI key sets.
//
//  - Set() / Get(): the document (admin and security only; audited
//    "oauth.trusted_issuers.set" / "oauth.trusted_issuers.get").
//  - MapSubjectToken(): the identity name a subject token maps to, checked
//    against the stored document's issuers (TokenIssuance::Exchange).
//  - RefreshKeys(): the scheduled re-read of file and URI key sets.
//
// The loaded issuers are an immutable TrustedIssuers published as a
// shared_ptr<const> and swapped on refresh: exchanges keep using the
// previous set meanwhile and never wait on a lock held across I/O (mu_
// only guards the pointer swap).
//
// Thread-safety: every method may be called concurrently; the store and
// auditor are borrowed and must outlive this object.
#ifndef WARDEN_OAUTH_TRUSTED_ISSUER_SERVICE_H_
#define WARDEN_OAUTH_TRUSTED_ISSUER_SERVICE_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/mutex.h"
#include "core/status.h"
#include "core/thread_annotations.h"
#include "oauth/trusted_issuers.h"
#include "outbound/jwks_fetcher.h"
#include "service/auditor.h"
#include "store/store.h"

namespace warden::oauth {

class TrustedIssuerService {
 public:
  // A scheduled refresh re-reads the key sets at most this often.
  static constexpr std::chrono::seconds kIssuerKeysRefreshPeriod{300};
  // A subject token with an unknown kid triggers a refresh at most this
  // often, so tokens cannot make us hammer the issuer.
  static constexpr std::chrono::seconds kUnknownKidRefreshMinInterval{30};

  TrustedIssuerService(Store& store, Auditor& auditor);
  TrustedIssuerService(const TrustedIssuerService&) = delete;
  TrustedIssuerService& operator=(const TrustedIssuerService&) = delete;

  // Stores `json` as the trusted issuers document. kInvalidArgument for a
  // bad document, including a jwks_file/jwks_uri source that cannot be read
  // now (the message names the issuer and the reason); kPermissionDenied
  // for callers other than admin and security.
  Status Set(const Caller& caller, std::string_view json);
  // The stored document ("[]" when none was set).
  Result<std::string> Get(const Caller& caller);

  // The identity name `subject_token` maps to under the stored document, or
  // the refusal (kInvalidArgument, problem "invalid_request"). A token with
  // an unknown kid of a file/URI issuer refreshes the keys first (at most
  // once per kUnknownKidRefreshMinInterval); that one request waits for the
  // fetch, bounded by its timeout.
  Result<std::string> MapSubjectToken(std::string_view subject_token);

  // Scheduled (the maintenance sweep): re-reads file and URI key sets when
  // kIssuerKeysRefreshPeriod has passed. A failing source keeps its last
  // good keys (logged, counted in jwks_refresh_failures()).
  void RefreshKeys(Timestamp now);

  uint64_t jwks_refresh_failures() const {
    return jwks_refresh_failures_.load();
  }

 private:
  Result<std::shared_ptr<const TrustedIssuers>> CurrentIssuers(
      const std::string& document);
  void InstallIssuers(std::string document,
                      std::shared_ptr<const TrustedIssuers> issuers,
                      Timestamp loaded_at);
  void RefreshIssuerKeys(Timestamp now);
  bool RefreshIssuerKeysForUnknownKid(Timestamp now);
  void NoteRefreshFailures(const std::vector<std::string>& failures);

  // Immutable after construction.
  Store& store_;
  Auditor& auditor_;
  const std::unique_ptr<outbound::JwksFetcher> jwks_fetcher_;

  // The issuers with their loaded keys, for the document they were built
  // from (never held across I/O).
  Mutex mu_;
  std::shared_ptr<const TrustedIssuers> issuers_ WARDEN_GUARDED_BY(mu_);
  std::string issuers_document_ WARDEN_GUARDED_BY(mu_);
  Timestamp issuers_loaded_at_ WARDEN_GUARDED_BY(mu_){};

  std::atomic<int64_t> last_unknown_kid_refresh_us_{0};
  std::atomic<uint64_t> jwks_refresh_failures_{0};
};

}  // namespace warden::oauth

#endif  // WARDEN_OAUTH_TRUSTED_ISSUER_SERVICE_H_
