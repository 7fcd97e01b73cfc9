#include "service/field_checks.h"

#include <fmt/format.h>

namespace warden {
namespace {

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9');
}

bool IsNameChar(char c) {
  return IsAlnum(c) || c == '.' || c == '_' || c == ':' || c == '@' ||
         c == '/' || c == '-';
}

bool IsBlank(std::string_view value) {
  return value.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace

Status FieldError(std::string_view field, std::string_view problem) {
  return InvalidArgument(fmt::format("{}: {}", field, problem),
                         kValidationFailed);
}

Status CheckName(std::string_view field, std::string_view value,
                 size_t max_length) {
  if (value.empty()) return FieldError(field, "is required");
  if (value.size() > max_length) {
    return FieldError(field,
                      fmt::format("longer than {} characters", max_length));
  }
  if (!IsAlnum(value.front())) {
    return FieldError(field, "must start with a letter or digit");
  }
  for (char c : value) {
    if (!IsNameChar(c)) {
      return FieldError(field, "may only contain letters, digits and ._:@/-");
    }
  }
  return Status::Ok();
}

Status CheckText(std::string_view field, std::string_view value,
                 size_t max_length) {
  if (value.size() > max_length) {
    return FieldError(field,
                      fmt::format("longer than {} characters", max_length));
  }
  for (unsigned char c : value) {
    if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) {
      return FieldError(field, "contains a control character");
    }
  }
  return Status::Ok();
}

Status CheckRequiredText(std::string_view field, std::string_view value,
                         size_t max_length) {
  if (IsBlank(value)) return FieldError(field, "is required");
  return CheckText(field, value, max_length);
}

}  // namespace warden
