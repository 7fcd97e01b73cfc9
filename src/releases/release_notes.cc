#include "releases/release_notes.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/parse.hpp>

#include "service/field_checks.h"

namespace warden::releases {
namespace {

namespace json = boost::json;

bool Contains(const std::vector<std::string>& items, std::string_view item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

Result<std::vector<std::string>> ReadTexts(const json::object& notes,
                                           std::string_view member,
                                           size_t max_items, size_t max_text) {
  std::vector<std::string> texts;
  const json::value* value = notes.if_contains(member);
  if (value == nullptr || value->is_null()) return texts;
  const std::string field = fmt::format("notes.{}", member);
  if (!value->is_array() || value->get_array().size() > max_items) {
    return FieldError(field,
                      fmt::format("must be an array of at most {}", max_items));
  }
  for (const json::value& item : value->get_array()) {
    if (!item.is_string()) return FieldError(field, "must hold strings");
    WARDEN_RETURN_IF_ERROR(CheckText(field, item.get_string(), max_text));
    texts.emplace_back(item.get_string());
  }
  return texts;
}

Result<std::vector<std::string>> ReadFlags(
    const json::object& notes, std::string_view member,
    const std::vector<std::string>& flags) {
  WARDEN_ASSIGN_OR_RETURN(std::vector<std::string> keys,
                          ReadTexts(notes, member, flags.size(), 256));
  for (const std::string& key : keys) {
    if (!Contains(flags, key)) {
      return FieldError(fmt::format("notes.{}", member),
                        fmt::format("flag \"{}\" is not one of the release's "
                                    "flags",
                                    key));
    }
  }
  return keys;
}

json::array ToArray(const std::vector<std::string>& items) {
  return json::array(items.begin(), items.end());
}

}  // namespace

bool ReleaseNotes::SafeForAll(std::string_view flag) const {
  return Contains(safe_for_all, flag);
}

bool ReleaseNotes::NeedsOptIn(std::string_view flag) const {
  return Contains(opt_in_required, flag);
}

Result<ReleaseNotes> ParseNotes(const json::value& value,
                                const std::vector<std::string>& flags) {
  ReleaseNotes notes;
  if (value.is_null()) return notes;
  if (!value.is_object()) return FieldError("notes", "must be an object");
  const json::object& object = value.get_object();
  WARDEN_ASSIGN_OR_RETURN(
      notes.changes, ReadTexts(object, "changes", kMaxChanges, kMaxChangeText));
  WARDEN_ASSIGN_OR_RETURN(notes.safe_for_all,
                          ReadFlags(object, "safe_for_all", flags));
  WARDEN_ASSIGN_OR_RETURN(notes.opt_in_required,
                          ReadFlags(object, "opt_in_required", flags));
  if (const json::value* notice = object.if_contains("customer_notice")) {
    if (!notice->is_string() && !notice->is_null()) {
      return FieldError("notes.customer_notice", "must be a string");
    }
    if (notice->is_string()) {
      WARDEN_RETURN_IF_ERROR(CheckText("notes.customer_notice",
                                       notice->get_string(), kMaxNoticeText));
      notes.customer_notice = notice->get_string();
    }
  }
  for (const std::string& key : notes.opt_in_required) {
    if (notes.SafeForAll(key)) {
      return FieldError("notes.opt_in_required",
                        fmt::format("flag \"{}\" is also safe_for_all", key));
    }
  }
  return notes;
}

json::object NotesToJson(const ReleaseNotes& notes) {
  return {{"changes", ToArray(notes.changes)},
          {"safe_for_all", ToArray(notes.safe_for_all)},
          {"opt_in_required", ToArray(notes.opt_in_required)},
          {"customer_notice", notes.customer_notice}};
}

Result<ReleaseNotes> NotesFromText(std::string_view text) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec) return Internal(fmt::format("stored notes are not JSON: {}", text));
  std::vector<std::string> every_flag;
  if (value.is_object()) {
    for (const char* member : {"safe_for_all", "opt_in_required"}) {
      const json::value* list = value.get_object().if_contains(member);
      if (list == nullptr || !list->is_array()) continue;
      for (const json::value& key : list->get_array()) {
        if (key.is_string()) every_flag.emplace_back(key.get_string());
      }
    }
  }
  return ParseNotes(value, every_flag);
}

}  // namespace warden::releases
