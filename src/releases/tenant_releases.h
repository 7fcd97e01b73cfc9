// What releases mean to one tenant: its consents (opt-ins to and notices
// of flags, who recorded them, when, and how) and its changelog (the
// releases whose changes that tenant actually has, as JSON or Markdown for
// customer success to send).
//
// Consents are recorded by admin anywhere and by an account manager on the
// tenants it manages; recording republishes the gates (an opt-in or a
// notice can clear a flag for the tenant). Thread-safe.
#ifndef WARDEN_RELEASES_TENANT_RELEASES_H_
#define WARDEN_RELEASES_TENANT_RELEASES_H_

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "exposure/exposure_publisher.h"
#include "service/auditor.h"

namespace warden::releases {

// Releases a changelog looks back over (newest first).
inline constexpr int kMaxChangelogReleases = 200;

struct ConsentRequest {
  std::string kind;  // "opt_in" or "notice"
  std::string via;   // "self_service" or "account_manager" (default)
  std::vector<std::string> flags;  // or every flag of `release`
  std::string release_id;
};

struct ChangelogEntry {
  ReleaseRecord release;
  std::vector<std::string> flags_on;           // the tenant has these
  std::vector<std::string> awaiting_opt_in;    // off until it opts in
  std::vector<std::string> awaiting_approval;  // off until cleared
};

struct Changelog {
  std::string tenant;
  std::string tenant_name;
  Environment environment = Environment::kProduction;
  std::vector<ChangelogEntry> entries;  // newest first
};

class TenantReleases {
 public:
  TenantReleases(Store& store, Auditor& auditor,
                 exposure::ExposurePublisher& publisher)
      : store_(store), auditor_(auditor), publisher_(publisher) {}

  Result<std::vector<ConsentRecord>> RecordConsent(const Caller& caller,
                                                   std::string_view tenant,
                                                   ConsentRequest request);
  Result<std::vector<ConsentRecord>> ListConsents(const Caller& caller,
                                                  std::string_view tenant);
  // Evaluates each release's flags for the tenant on the published
  // configuration, so the changelog says what the tenant sees now.
  Result<Changelog> BuildChangelog(const Caller& caller,
                                   std::string_view tenant, Environment env);

 private:
  Store& store_;
  Auditor& auditor_;
  exposure::ExposurePublisher& publisher_;
};

boost::json::object ChangelogToJson(const Changelog& changelog);
std::string ChangelogToMarkdown(const Changelog& changelog);
boost::json::object ConsentToJson(const ConsentRecord& consent);

}  // namespace warden::releases

#endif  // WARDEN_RELEASES_TENANT_RELEASES_H_
