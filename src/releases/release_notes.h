// A release's notes: what changed, which flags are safe for every tenant,
// which need each tenant's opt-in, and the notice customers receive.
//
// JSON: {"changes": [text], "safe_for_all": [flag], "opt_in_required":
//        [flag], "customer_notice": text}; every member optional.
// Pure functions; thread-safe.
#ifndef WARDEN_RELEASES_RELEASE_NOTES_H_
#define WARDEN_RELEASES_RELEASE_NOTES_H_

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace warden::releases {

inline constexpr size_t kMaxChanges = 200;
inline constexpr size_t kMaxChangeText = 2'000;
inline constexpr size_t kMaxNoticeText = 10'000;

struct ReleaseNotes {
  std::vector<std::string> changes;
  std::vector<std::string> safe_for_all;
  std::vector<std::string> opt_in_required;
  std::string customer_notice;

  bool SafeForAll(std::string_view flag) const;
  bool NeedsOptIn(std::string_view flag) const;
};

// kInvalidArgument ("validation-failed") naming "notes.<member>". A flag
// named in safe_for_all or opt_in_required must be one of `flags`.
Result<ReleaseNotes> ParseNotes(const boost::json::value& json,
                                const std::vector<std::string>& flags);
boost::json::object NotesToJson(const ReleaseNotes& notes);
// The stored text (written by NotesToJson) parsed back.
Result<ReleaseNotes> NotesFromText(std::string_view text);

}  // namespace warden::releases

#endif  // WARDEN_RELEASES_RELEASE_NOTES_H_
