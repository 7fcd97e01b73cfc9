// Field-level checks shared by the services (private to service/). Every
// failure is kInvalidArgument with problem "validation-failed" and a message
// that names the field and what is wrong with it.
#ifndef WARDEN_SERVICE_FIELD_CHECKS_H_
#define WARDEN_SERVICE_FIELD_CHECKS_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"

namespace warden {

inline constexpr char kValidationFailed[] = "validation-failed";

Status FieldError(std::string_view field, std::string_view problem);

// Required name: 1..max_length of [A-Za-z0-9._:@/-], starting alphanumeric.
Status CheckName(std::string_view field, std::string_view value,
                 size_t max_length);

// Optional free text: at most max_length bytes, no control characters other
// than tab and newline.
Status CheckText(std::string_view field, std::string_view value,
                 size_t max_length);

// Required free text: as CheckText, and not blank.
Status CheckRequiredText(std::string_view field, std::string_view value,
                         size_t max_length);

}  // namespace warden

#endif  // WARDEN_SERVICE_FIELD_CHECKS_H_
