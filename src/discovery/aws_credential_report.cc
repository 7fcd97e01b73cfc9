// Columns as documented in the IAM User Guide, "Getting credential reports
// for your AWS account" (credential report format).
#include "discovery/aws_credential_report.h"

#include <array>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "core/time_format.h"
#include "discovery/csv_reader.h"
#include "discovery/file_walk.h"

namespace warden::discovery {
namespace {

constexpr std::string_view kSource = "aws";
constexpr std::string_view kRootUser = "<root_account>";

// Without these a row says nothing useful about the user or its keys.
constexpr std::array<std::string_view, 7> kRequiredColumns = {
    "user",
    "arn",
    "user_creation_time",
    "password_enabled",
    "mfa_active",
    "access_key_1_active",
    "access_key_2_active"};

// Column name -> index in the row, from the header record.
class Columns {
 public:
  explicit Columns(const std::vector<std::string>& header)
      : width_(header.size()) {
    for (size_t i = 0; i < header.size(); ++i) index_.emplace(header[i], i);
  }

  std::string Missing() const {
    std::string missing;
    for (std::string_view name : kRequiredColumns) {
      if (index_.contains(std::string(name))) continue;
      if (!missing.empty()) missing += ", ";
      missing += name;
    }
    return missing;
  }

  size_t width() const { return width_; }

  // The value of column `name` in `row`, with the report's placeholders for
  // "no value" mapped to empty; empty when the column is absent.
  std::string Get(const std::vector<std::string>& row,
                  std::string_view name) const {
    auto it = index_.find(std::string(name));
    if (it == index_.end()) return {};
    const std::string& value = row[it->second];
    if (value == "N/A" || value == "no_information" ||
        value == "not_supported") {
      return {};
    }
    return value;
  }

 private:
  size_t width_;
  std::map<std::string, size_t, std::less<>> index_;
};

// One data row being turned into observations; timestamp problems become
// issues at the row's line.
class RowReader {
 public:
  RowReader(const Columns& columns, const CsvRecord& record,
            std::string_view origin, ScanReport& report)
      : columns_(columns), record_(record), origin_(origin), report_(report) {}

  void Read() {
    const std::string arn = Get("arn");
    const std::string user = Get("user");
    if (arn.empty()) {
      AddIssue(report_, origin_, record_.line, "row without an arn");
      return;
    }
    AddUser(arn, user);
    AddKey(arn, user, 1);
    AddKey(arn, user, 2);
  }

 private:
  std::string Get(std::string_view column) const {
    return columns_.Get(record_.fields, column);
  }

  std::string Flag(std::string_view column) const {
    return Get(column) == "true" ? "true" : "false";
  }

  // RFC 3339 UTC, or empty for an empty value or (with an issue) bad text.
  std::string Time(std::string_view column) {
    const std::string value = Get(column);
    if (value.empty()) return {};
    auto parsed = ParseRfc3339(value);
    if (!parsed.ok()) {
      AddIssue(report_, origin_, record_.line,
               std::string(column) + ": " + parsed.status().message());
      return {};
    }
    return FormatRfc3339(*parsed);
  }

  Observation Make(std::string_view kind, std::string key,
                   const std::string& user) const {
    Observation o;
    o.kind = kind;
    o.source = kSource;
    o.key = std::move(key);
    o.name = user;
    o.location = FileLocation(origin_, record_.line);
    return o;
  }

  void AddUser(const std::string& arn, const std::string& user) {
    Observation o = Make(kCloudUserKind, arn, user);
    auto& a = o.attributes;
    a["password_enabled"] = Flag("password_enabled");
    a["mfa_active"] = Flag("mfa_active");
    a["created_at"] = Time("user_creation_time");
    a["password_last_used"] = Time("password_last_used");
    a["root_account"] = user == kRootUser ? "true" : "false";
    a["human_signals"] =
        a["password_enabled"] == "true" ? "password_enabled" : "";
    report_.observations.push_back(std::move(o));
  }

  void AddKey(const std::string& arn, const std::string& user, int n) {
    const std::string prefix = "access_key_" + std::to_string(n) + "_";
    if (Get(prefix + "active") != "true") return;
    Observation o =
        Make(kCloudAccessKeyKind, arn + "#" + std::to_string(n), user);
    auto& a = o.attributes;
    a["active"] = "true";
    a["last_rotated"] = Time(prefix + "last_rotated");
    a["last_used_at"] = Time(prefix + "last_used_date");
    a["last_used_service"] = Get(prefix + "last_used_service");
    a["last_used_region"] = Get(prefix + "last_used_region");
    report_.observations.push_back(std::move(o));
  }

  const Columns& columns_;
  const CsvRecord& record_;
  std::string_view origin_;
  ScanReport& report_;
};

}  // namespace

void ParseAwsCredentialReport(std::string_view text, std::string_view origin,
                              ScanReport& report) {
  CsvReader reader(text);
  CsvRecord record;
  Result<bool> header = reader.Next(record);
  if (!header.ok() || !*header) {
    AddIssue(report, origin, 1,
             header.ok() ? "empty credential report: no header row"
                         : header.status().message());
    return;
  }
  const Columns columns(record.fields);
  if (const std::string missing = columns.Missing(); !missing.empty()) {
    AddIssue(report, origin, 1,
             "not an IAM credential report: the header lacks the columns " +
                 missing);
    return;
  }
  while (true) {
    Result<bool> next = reader.Next(record);
    if (!next.ok()) {
      // The reader's message starts "line N: "; keep N in the location.
      AddIssue(report, origin, record.line, next.status().message());
      continue;
    }
    if (!*next) break;
    if (record.fields.size() != columns.width()) {
      AddIssue(report, origin, record.line,
               "row has " + std::to_string(record.fields.size()) +
                   " fields, the header has " +
                   std::to_string(columns.width()));
      continue;
    }
    RowReader(columns, record, origin, report).Read();
  }
}

ScanReport ScanAwsCredentialReport(const std::filesystem::path& path,
                                   const ProgressCallback& progress) {
  ScanReport report;
  for (const auto& file :
       CollectFiles(path, kMaxCredentialReportBytes, report)) {
    std::optional<std::string> text = ReadScannedFile(file, report, progress);
    if (text) ParseAwsCredentialReport(*text, file.string(), report);
  }
  return report;
}

}  // namespace warden::discovery
