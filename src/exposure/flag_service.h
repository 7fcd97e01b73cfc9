// Feature flags per environment: create, replace, patch, archive, list,
// flagd import/export. Every change is one Store::Write with its audit
// record, validated against the whole environment inside that write (the
// environment must still compile: rules naming unknown segments or
// variants are refused with the offending path), then published into the
// ConfigFeed. Thread-safe.
#ifndef WARDEN_EXPOSURE_FLAG_SERVICE_H_
#define WARDEN_EXPOSURE_FLAG_SERVICE_H_

#include <boost/json/object.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eval/config_warning.h"
#include "exposure/exposure_publisher.h"
#include "service/auditor.h"
#include "wire/exposure_json.h"

namespace warden::exposure {

// A flag as the API shows it.
struct FlagView {
  Environment environment = Environment::kDevelopment;
  wire::FlagSpec spec;
  bool archived = false;
  Timestamp created_at{};
  Timestamp updated_at{};
  std::optional<Timestamp> last_evaluated_at;
  int64_t version = 0;
  // No change and no evaluation for stale_after_days (at read time).
  bool stale = false;
};

struct FlagImportSummary {
  int created = 0;
  int updated = 0;
  std::vector<std::string> keys;  // in file order
  // Whether the import replaced the environment's shared sections.
  bool evaluators_changed = false;
  bool metadata_changed = false;
  // What flagd accepts but degrades at evaluation (eval/flagd_format.h).
  eval::ConfigWarnings warnings;
  size_t warnings_omitted = 0;
};

struct FlagImportOptions {
  // Refuse a file with warnings (kInvalidArgument "import-warnings"
  // naming their paths): for CI linting.
  bool strict = false;
};

class FlagService {
 public:
  FlagService(Store& store, Auditor& auditor, ExposurePublisher& publisher)
      : store_(store), auditor_(auditor), publisher_(publisher) {}

  // Active flags in key order; `stale_only` keeps stale ones.
  Result<std::vector<FlagView>> List(const Caller& caller, Environment env,
                                     bool stale_only = false);
  Result<FlagView> Get(const Caller& caller, Environment env,
                       std::string_view key);
  // kAlreadyExists for an active flag of that key (an archived one is
  // revived with the new definition). Create and Replace refuse a
  // non-boolean flag without an off variant, and a boolean one whose off
  // variant is not false (eval::CheckOffVariant); Patch does when it
  // changes type, variants or off_variant.
  Result<FlagView> Create(const Caller& caller, Environment env,
                          wire::FlagSpec spec);
  // PUT: the whole definition. `spec.flag.key` must equal `key`.
  Result<FlagView> Replace(const Caller& caller, Environment env,
                           std::string_view key, wire::FlagSpec spec,
                           std::optional<int64_t> expected_version);
  // PATCH: top-level fields of the flag JSON (exposure_json.h) replace the
  // stored ones; null removes an optional field.
  Result<FlagView> Patch(const Caller& caller, Environment env,
                         std::string_view key, const boost::json::object& patch,
                         std::optional<int64_t> expected_version);
  // DELETE: the flag leaves the published configuration; kept archived.
  Result<FlagView> Archive(const Caller& caller, Environment env,
                           std::string_view key);

  // A flagd flag-definition document: its flags are created or replaced
  // (flag.write on each flag's owner team, old and new), and the shared
  // sections it has replace the environment's: "$evaluators" and flag-set
  // "metadata". A section the file lacks leaves the stored one untouched;
  // one that differs from the stored one needs flag_set.write (every
  // flag that $refs an evaluator or reads the metadata changes with it);
  // an identical one needs nothing more. flag.write is checked before the
  // document is read. All-or-nothing; errors name the JSON path.
  Result<FlagImportSummary> Import(const Caller& caller, Environment env,
                                   std::string_view flagd_json,
                                   FlagImportOptions options = {});
  // The environment's flags as a flagd document.
  Result<std::string> Export(const Caller& caller, Environment env);

 private:
  Result<FlagView> Write(const Caller& caller, Environment env,
                         std::string_view action, std::string_view key,
                         const std::function<Result<wire::FlagSpec>(
                             const std::optional<FlagView>& current)>& change,
                         std::optional<int64_t> expected_version,
                         bool must_exist, bool check_off_variant);
  void Publish(Environment env, std::string_view kind, std::string_view key);

  warden::Store& store_;
  Auditor& auditor_;
  ExposurePublisher& publisher_;
};

}  // namespace warden::exposure

#endif  // WARDEN_EXPOSURE_FLAG_SERVICE_H_
