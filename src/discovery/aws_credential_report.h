// Reader of the AWS IAM credential report (GetCredentialReport, text/csv,
// after base64-decoding its Content): one row per IAM user with columns
//   user, arn, user_creation_time, password_enabled, password_last_used,
//   password_last_changed, password_next_rotation, mfa_active,
//   access_key_{1,2}_active, access_key_{1,2}_last_rotated,
//   access_key_{1,2}_last_used_date, access_key_{1,2}_last_used_region,
//   access_key_{1,2}_last_used_service, cert_{1,2}_active,
//   cert_{1,2}_last_rotated
// in any order (columns are found by their header name).
//
// Observations, source "aws":
//   kCloudUserKind per row: key = arn, name = user; attributes
//     password_enabled, mfa_active ("true"/"false"), created_at,
//     password_last_used (RFC 3339 UTC or empty), root_account ("true" for
//     the <root_account> row), human_signals ("password_enabled" when the
//     user can sign in to the console, else empty).
//   kCloudAccessKeyKind per active access key: key = "arn#1" or "arn#2",
//     name = user; attributes active ("true"), last_rotated, last_used_at,
//     last_used_service, last_used_region.
// The report's "N/A", "no_information" and "not_supported" become empty.
//
// Problems: a header without the required columns is one issue "file:1"
// naming them (and nothing else is read); a row with the wrong number of
// fields or a malformed timestamp is an issue "file:LINE" and the rest of
// the report is read.
#ifndef WARDEN_DISCOVERY_AWS_CREDENTIAL_REPORT_H_
#define WARDEN_DISCOVERY_AWS_CREDENTIAL_REPORT_H_

#include <cstdint>
#include <filesystem>
#include <string_view>

#include "discovery/observation.h"

namespace warden::discovery {

// A credential report is ~300 bytes per user; 64 MiB is over 200 000 users,
// beyond the IAM quota of 5 000 users per account.
inline constexpr uint64_t kMaxCredentialReportBytes = 64 << 20;

// Reads the report at `path` (one file). Never throws.
ScanReport ScanAwsCredentialReport(const std::filesystem::path& path,
                                   const ProgressCallback& progress);

// Parses the report text of a file named `origin`, appending to `report`.
// The fuzzing entry point.
void ParseAwsCredentialReport(std::string_view text, std::string_view origin,
                              ScanReport& report);

}  // namespace warden::discovery

#endif  // WARDEN_DISCOVERY_AWS_CREDENTIAL_REPORT_H_
