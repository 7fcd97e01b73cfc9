// Parses audit sink specs (audit_sink_spec.h): URLs after RFC 3986 with
// Boost.URL, Warden's parameters from the query (file, syslog) or the
// fragment (webhook).
#include "audit/audit_sink_spec.h"

#include <array>
#include <boost/url/parse.hpp>
#include <boost/url/parse_query.hpp>
#include <boost/url/url_view.hpp>
#include <charconv>
#include <exception>
#include <functional>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "core/time_format.h"

namespace warden {
namespace {

constexpr size_t kMaxSinkName = 64;
// Bytes below which size rotation would rotate on nearly every batch.
constexpr uint64_t kMinRotationBytes = 4096;
constexpr int64_t kMaxWebhookTimeoutSeconds = 300;

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

Status CheckSinkName(std::string_view name) {
  if (name.empty() || name.size() > kMaxSinkName) {
    return InvalidArgument("audit sink name must be 1 to 64 characters");
  }
  for (char c : name) {
    if (!IsNameChar(c)) {
      return InvalidArgument("audit sink name '" + std::string(name) +
                             "' may only hold letters, digits, '_', '.', '-'");
    }
  }
  return Status::Ok();
}

// Printable US-ASCII (33..126), as RFC 5424 header fields and SD-NAMEs
// must be.
bool IsPrintUsAscii(std::string_view text) {
  for (char c : text) {
    if (c < 33 || c > 126) return false;
  }
  return true;
}

constexpr std::array<std::pair<std::string_view, int>, 24> kFacilities = {{
    {"kern", 0},    {"user", 1},    {"mail", 2},      {"daemon", 3},
    {"auth", 4},    {"syslog", 5},  {"lpr", 6},       {"news", 7},
    {"uucp", 8},    {"cron", 9},    {"authpriv", 10}, {"ftp", 11},
    {"ntp", 12},    {"audit", 13},  {"alert", 14},    {"clock", 15},
    {"local0", 16}, {"local1", 17}, {"local2", 18},   {"local3", 19},
    {"local4", 20}, {"local5", 21}, {"local6", 22},   {"local7", 23},
}};

std::optional<int64_t> ParseInteger(std::string_view text) {
  int64_t value = 0;
  auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

// "1048576", "512K", "100M", "2G" (1024-based).
std::optional<uint64_t> ParseSize(std::string_view text) {
  uint64_t unit = 1;
  if (!text.empty()) {
    switch (text.back()) {
      case 'k':
      case 'K':
        unit = uint64_t{1} << 10;
        break;
      case 'm':
      case 'M':
        unit = uint64_t{1} << 20;
        break;
      case 'g':
      case 'G':
        unit = uint64_t{1} << 30;
        break;
      default:
        break;
    }
  }
  if (unit != 1) text.remove_suffix(1);
  std::optional<int64_t> value = ParseInteger(text);
  if (!value || *value <= 0) return std::nullopt;
  if (static_cast<uint64_t>(*value) > UINT64_MAX / unit) return std::nullopt;
  return static_cast<uint64_t>(*value) * unit;
}

// One parameter's reader: sets the spec's field or says what is wrong.
using ParamReader =
    std::function<Status(AuditSinkSpec& spec, std::string_view value)>;

Status IntegerParam(std::string_view value, int64_t low, int64_t high,
                    int64_t& out) {
  std::optional<int64_t> parsed = ParseInteger(value);
  if (!parsed || *parsed < low || *parsed > high) {
    return InvalidArgument("must be an integer from " + std::to_string(low) +
                           " to " + std::to_string(high));
  }
  out = *parsed;
  return Status::Ok();
}

Status ReadBatch(AuditSinkSpec& spec, std::string_view value) {
  int64_t batch = 0;
  WARDEN_RETURN_IF_ERROR(IntegerParam(value, 1, kMaxAuditSinkBatch, batch));
  spec.batch = static_cast<int>(batch);
  return Status::Ok();
}

Status ReadMaxBytes(AuditSinkSpec& spec, std::string_view value) {
  std::optional<uint64_t> size = ParseSize(value);
  if (!size || *size < kMinRotationBytes) {
    return InvalidArgument(
        "must be a size of at least 4096 bytes (e.g. 1048576, 512K, 100M, "
        "1G)");
  }
  spec.max_bytes = *size;
  return Status::Ok();
}

Status ReadMaxAge(AuditSinkSpec& spec, std::string_view value) {
  WARDEN_ASSIGN_OR_RETURN(spec.max_age, ParseDuration(value));
  return Status::Ok();
}

Status ReadFacility(AuditSinkSpec& spec, std::string_view value) {
  for (const auto& [name, code] : kFacilities) {
    if (name == value) {
      spec.facility = code;
      return Status::Ok();
    }
  }
  int64_t code = 0;
  if (!IntegerParam(value, 0, 23, code).ok()) {
    return InvalidArgument(
        "must be a facility name (e.g. audit, authpriv, local0) or 0 to 23");
  }
  spec.facility = static_cast<int>(code);
  return Status::Ok();
}

// A printable US-ASCII field of at most `limit` characters.
ParamReader AsciiField(std::string AuditSinkSpec::*field, size_t limit,
                       bool sd_name) {
  return [field, limit, sd_name](AuditSinkSpec& spec, std::string_view value) {
    bool ok = !value.empty() && value.size() <= limit && IsPrintUsAscii(value);
    if (sd_name) {
      ok = ok && value.find_first_of("= ]\"") == std::string_view::npos;
    }
    if (!ok) {
      return InvalidArgument("must be 1 to " + std::to_string(limit) +
                             " printable ASCII characters" +
                             (sd_name ? " without '=', ']', '\"'" : ""));
    }
    spec.*field = std::string(value);
    return Status::Ok();
  };
}

Status ReadMaxDatagram(AuditSinkSpec& spec, std::string_view value) {
  int64_t size = 0;
  WARDEN_RETURN_IF_ERROR(
      IntegerParam(value, kMinSyslogDatagram, kMaxSyslogDatagram, size));
  spec.max_datagram = static_cast<int>(size);
  return Status::Ok();
}

Status ReadTimeout(AuditSinkSpec& spec, std::string_view value) {
  WARDEN_ASSIGN_OR_RETURN(std::chrono::seconds timeout, ParseDuration(value));
  if (timeout.count() > kMaxWebhookTimeoutSeconds) {
    return InvalidArgument("must be at most 300s");
  }
  spec.timeout = timeout;
  return Status::Ok();
}

using ParamTable = std::map<std::string, ParamReader, std::less<>>;

ParamTable FileParams() {
  return {{"max_bytes", ReadMaxBytes},
          {"max_age", ReadMaxAge},
          {"batch", ReadBatch}};
}

ParamTable SyslogParams(bool udp) {
  ParamTable table = {
      {"facility", ReadFacility},
      {"app_name",
       AsciiField(&AuditSinkSpec::app_name, kMaxSyslogAppName, false)},
      {"hostname",
       AsciiField(&AuditSinkSpec::hostname, kMaxSyslogHostname, false)},
      {"sd_id", AsciiField(&AuditSinkSpec::sd_id, kMaxSdName, true)},
      {"batch", ReadBatch}};
  if (udp) table.emplace("max_datagram", ReadMaxDatagram);
  return table;
}

ParamTable WebhookParams() {
  return {{"batch", ReadBatch}, {"timeout", ReadTimeout}};
}

std::string Names(const ParamTable& table) {
  std::string out;
  for (const auto& [name, reader] : table) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

struct Param {
  std::string key;
  std::string value;
  bool has_value = false;
};

// Decoded parameters of a query or fragment.
std::vector<Param> DecodedParams(const boost::urls::params_encoded_view& in) {
  std::vector<Param> out;
  for (const auto& param : in) {
    out.push_back({param.key.decode(), param.value.decode(), param.has_value});
  }
  return out;
}

// Applies the parameters to `spec` through `table`.
Status ApplyParams(const std::vector<Param>& params, const ParamTable& table,
                   AuditSinkSpec& spec) {
  std::map<std::string, bool, std::less<>> seen;
  for (const Param& param : params) {
    auto reader = table.find(param.key);
    if (reader == table.end()) {
      return InvalidArgument("unknown parameter '" + param.key + "' (" +
                             std::string(AuditSinkKindName(spec.kind)) +
                             " sinks take " + Names(table) + ")");
    }
    if (!seen.emplace(param.key, true).second) {
      return InvalidArgument("parameter '" + param.key + "' given twice");
    }
    if (!param.has_value) {
      return InvalidArgument("parameter '" + param.key + "' needs a value");
    }
    Status read = reader->second(spec, param.value);
    if (!read.ok()) {
      return InvalidArgument("parameter " + param.key + "=" + param.value +
                             ": " + read.message());
    }
  }
  return Status::Ok();
}

Status ParseFile(const boost::urls::url_view& url, AuditSinkSpec& spec) {
  const std::string host(url.host());
  if (!host.empty() && host != "localhost") {
    return InvalidArgument("file URL names host '" + host +
                           "': only local files (file:///PATH)");
  }
  spec.path = url.path();
  if (spec.path.size() < 2 || spec.path.front() != '/' ||
      spec.path.back() == '/') {
    return InvalidArgument(
        "file URL needs an absolute file path (file:///var/log/warden/"
        "audit.jsonl)");
  }
  if (spec.path.find('\0') != std::string::npos) {
    return InvalidArgument("file path holds a NUL byte");
  }
  if (url.has_fragment()) return InvalidArgument("file URL has a fragment");
  return ApplyParams(DecodedParams(url.encoded_params()), FileParams(), spec);
}

// The host without IPv6 brackets, and the port (or `default_port`).
Status ReadHostPort(const boost::urls::url_view& url, uint16_t default_port,
                    AuditSinkSpec& spec) {
  spec.host = url.host_address();
  if (spec.host.size() >= 2 && spec.host.front() == '[') {
    spec.host = spec.host.substr(1, spec.host.size() - 2);
  }
  if (spec.host.empty()) return InvalidArgument("URL names no host");
  if (url.has_userinfo()) return InvalidArgument("URL has userinfo");
  if (!url.has_port() || url.port().empty()) {
    spec.port = default_port;
    return Status::Ok();
  }
  std::optional<int64_t> port = ParseInteger(url.port());
  if (!port || *port < 1 || *port > 65535) {
    return InvalidArgument("port '" + std::string(url.port()) +
                           "' is not 1 to 65535");
  }
  spec.port = static_cast<uint16_t>(*port);
  return Status::Ok();
}

Status ParseSyslog(const boost::urls::url_view& url, bool udp,
                   AuditSinkSpec& spec) {
  // Ports: 514/udp (syslog), 601/tcp (syslog-conn, RFC 3195).
  WARDEN_RETURN_IF_ERROR(ReadHostPort(url, udp ? 514 : 601, spec));
  if (!url.path().empty() && url.path() != "/") {
    return InvalidArgument("syslog URL has a path ('" +
                           std::string(url.path()) + "')");
  }
  if (url.has_fragment()) return InvalidArgument("syslog URL has a fragment");
  return ApplyParams(DecodedParams(url.encoded_params()), SyslogParams(udp),
                     spec);
}

bool IsLoopbackHost(std::string_view host) {
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

// Warden's own webhook parameters live in the fragment ("batch=10&...").
Status ParseWebhook(std::string_view text, const boost::urls::url_view& url,
                    AuditSinkSpec& spec) {
  WARDEN_RETURN_IF_ERROR(
      ReadHostPort(url, url.scheme() == "https" ? 443 : 80, spec));
  if (url.scheme() == "http" && !IsLoopbackHost(spec.host)) {
    return InvalidArgument("plain http:// only to a loopback host; use https");
  }
  spec.url = std::string(text.substr(0, text.find('#')));
  if (!url.has_fragment()) return Status::Ok();
  auto fragment = boost::urls::parse_query(url.encoded_fragment());
  if (!fragment) return InvalidArgument("fragment is not k=v&k=v");
  return ApplyParams(DecodedParams(*fragment), WebhookParams(), spec);
}

Status ParseUrl(std::string_view text, AuditSinkSpec& spec) {
  auto parsed = boost::urls::parse_uri(text);
  if (!parsed) {
    // The URL is not repeated: a webhook's may carry a credential.
    return InvalidArgument("the URL does not parse (" +
                           parsed.error().message() + ")");
  }
  const boost::urls::url_view& url = *parsed;
  const std::string scheme(url.scheme());
  if (scheme == "file") {
    spec.kind = AuditSinkKind::kFile;
    return ParseFile(url, spec);
  }
  if (scheme == "syslog+tcp" || scheme == "syslog+udp") {
    const bool udp = scheme == "syslog+udp";
    spec.kind = udp ? AuditSinkKind::kSyslogUdp : AuditSinkKind::kSyslogTcp;
    return ParseSyslog(url, udp, spec);
  }
  if (scheme == "https" || scheme == "http") {
    spec.kind = AuditSinkKind::kWebhook;
    return ParseWebhook(text, url, spec);
  }
  return InvalidArgument("unknown scheme '" + scheme +
                         "' (expected file, syslog+tcp, syslog+udp, https)");
}

}  // namespace

std::string_view AuditSinkKindName(AuditSinkKind kind) {
  switch (kind) {
    case AuditSinkKind::kFile:
      return "file";
    case AuditSinkKind::kSyslogTcp:
      return "syslog+tcp";
    case AuditSinkKind::kSyslogUdp:
      return "syslog+udp";
    case AuditSinkKind::kWebhook:
      return "webhook";
  }
  return "unknown";
}

int AuditSinkSpec::EffectiveBatch() const {
  if (batch > 0) return batch;
  switch (kind) {
    case AuditSinkKind::kFile:
      return 1000;
    case AuditSinkKind::kSyslogTcp:
      return 500;
    case AuditSinkKind::kSyslogUdp:
      return 100;
    case AuditSinkKind::kWebhook:
      return 100;
  }
  return 100;
}

Result<std::pair<std::string, std::string>> ParseNamedValue(
    std::string_view text) {
  const size_t equals = text.find('=');
  if (equals == std::string_view::npos) {
    return InvalidArgument("expected NAME=VALUE");
  }
  std::string name(text.substr(0, equals));
  WARDEN_RETURN_IF_ERROR(CheckSinkName(name));
  std::string value(text.substr(equals + 1));
  if (value.empty()) {
    return InvalidArgument("audit sink '" + name + "': empty value");
  }
  return std::make_pair(std::move(name), std::move(value));
}

Result<AuditSinkSpec> ParseAuditSinkSpec(std::string_view text) {
  if (text.size() > kMaxAuditSinkSpec) {
    return InvalidArgument("audit sink spec longer than 4096 characters");
  }
  WARDEN_ASSIGN_OR_RETURN(auto named, ParseNamedValue(text));
  AuditSinkSpec spec;
  spec.name = std::move(named.first);
  Status status;
  try {
    status = ParseUrl(named.second, spec);
  } catch (const std::exception& e) {
    status = InvalidArgument(std::string("unreadable URL: ") + e.what());
  }
  if (!status.ok()) {
    return InvalidArgument("audit sink '" + spec.name +
                           "': " + status.message());
  }
  return spec;
}

}  // namespace warden
