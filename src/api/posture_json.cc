#include "api/posture_json.h"

#include <boost/json.hpp>

#include "api/route_glue.h"
#include "core/time_format.h"

namespace warden::api {
namespace {

namespace json = boost::json;

// Stored JSON text as a value (the store keeps what the domain wrote;
// anything unreadable shows as null rather than failing the response).
json::value ParsedOrNull(const std::string& text) {
  boost::system::error_code error;
  json::value value = json::parse(text, error);
  return error ? json::value(nullptr) : value;
}

json::array Strings(const std::vector<std::string>& values) {
  json::array out;
  for (const std::string& v : values) out.emplace_back(v);
  return out;
}

double Share(int64_t ok, int64_t total) {
  return total == 0 ? 1.0
                    : static_cast<double>(ok) / static_cast<double>(total);
}

json::object ShareJson(const posture::MaturityShare& share) {
  json::array failing;
  for (const posture::MaturityGap& gap : share.failing) {
    failing.push_back({{"kind", gap.kind},
                       {"id", gap.id},
                       {"name", gap.name},
                       {"owner", EmptyAsNull(gap.owner)},
                       {"finding", EmptyAsNull(gap.finding_id)}});
  }
  return {{"share", share.share},
          {"ok", share.ok},
          {"total", share.total},
          {"failing_count", share.total - share.ok},
          {"failing", std::move(failing)}};
}

json::object SnapshotJson(const MaturitySnapshotRecord& s) {
  return {{"taken_at", FormatRfc3339(s.taken_at)},
          {"inventoried", Share(s.inventoried, s.observed)},
          {"justified", Share(s.justified, s.identities)},
          {"revocable", Share(s.revocable, s.identities)},
          {"identities", s.identities},
          {"observed", s.observed}};
}

json::object MaturityCountsJson(const posture::MaturityCounts& c) {
  return {{"identities", c.identities},
          {"justified", c.justified},
          {"revocable", c.revocable},
          {"observed", c.observed},
          {"inventoried", c.inventoried}};
}

void Increment(json::object& counts, const std::string& key, int64_t n) {
  json::value& slot = counts[key.empty() ? "(none)" : key];
  slot = (slot.is_int64() ? slot.get_int64() : 0) + n;
}

}  // namespace

json::object ToJson(const FindingRecord& f) {
  return {{"id", f.id},
          {"rule", f.rule},
          {"severity", f.severity},
          {"identity", EmptyAsNull(f.identity_id)},
          {"subject", f.subject},
          {"subject_key", f.subject_key},
          {"owner", EmptyAsNull(f.owner)},
          {"owasp", f.owasp},
          {"csf", Strings(f.csf)},
          {"evidence", ParsedOrNull(f.evidence_json)},
          {"remediation", f.remediation},
          {"state", f.state},
          {"acknowledgement",
           f.state == "acknowledged"
               ? json::value(
                     json::object{{"reason", f.ack_reason},
                                  {"by", f.ack_by},
                                  {"expires_at", TimeOrNull(f.ack_expires_at)}})
               : json::value(nullptr)},
          {"first_seen", FormatRfc3339(f.first_seen)},
          {"last_seen", FormatRfc3339(f.last_seen)},
          {"resolved_at", TimeOrNull(f.resolved_at)},
          {"version", f.version}};
}

json::object ToJson(const posture::RuleSpec& rule) {
  json::array csf;
  for (std::string_view c : rule.csf) csf.emplace_back(c);
  return {{"id", rule.id},
          {"title", rule.title},
          {"severity", rule.severity},
          {"owasp", rule.owasp},
          {"csf", std::move(csf)},
          {"remediation", rule.remediation}};
}

json::object SummaryJson(const std::vector<FindingCount>& counts) {
  json::object by_severity, by_owasp, by_owner, by_rule, by_state;
  int64_t total = 0;
  for (const FindingCount& c : counts) {
    total += c.count;
    Increment(by_severity, c.severity, c.count);
    Increment(by_owasp, c.owasp, c.count);
    Increment(by_owner, c.owner, c.count);
    Increment(by_rule, c.rule, c.count);
    Increment(by_state, c.state, c.count);
  }
  return {{"total", total},
          {"by_severity", std::move(by_severity)},
          {"by_owasp", std::move(by_owasp)},
          {"by_owner", std::move(by_owner)},
          {"by_rule", std::move(by_rule)},
          {"by_state", std::move(by_state)}};
}

json::object ToJson(const posture::MaturityView& view) {
  json::array history;
  for (const MaturitySnapshotRecord& s : view.history) {
    history.push_back(SnapshotJson(s));
  }
  return {{"inventoried", ShareJson(view.inventoried)},
          {"justified", ShareJson(view.justified)},
          {"revocable", ShareJson(view.revocable)},
          {"history", std::move(history)}};
}

json::object ToJson(const posture::SweepReport& r) {
  json::object by_team;
  for (const auto& [team, counts] : r.maturity_by_team) {
    by_team[team] = MaturityCountsJson(counts);
  }
  return {{"identities", r.identities},
          {"observations", r.observations},
          {"opened", r.opened},
          {"reopened", r.reopened},
          {"resolved", r.resolved},
          {"changed", r.changed},
          {"suspended", r.suspended},
          {"maturity", MaturityCountsJson(r.maturity)},
          {"maturity_by_team", std::move(by_team)},
          {"finished_at", FormatRfc3339(r.finished_at)}};
}

json::object ToJson(const ReviewCampaignRecord& c) {
  return {{"id", c.id},
          {"name", c.name},
          {"scope", ParsedOrNull(c.scope_json)},
          {"state", c.state},
          {"due_at", FormatRfc3339(c.due_at)},
          {"created_by", c.created_by},
          {"created_at", FormatRfc3339(c.created_at)},
          {"closed_at", TimeOrNull(c.closed_at)}};
}

json::object ToJson(const posture::CampaignView& view) {
  json::object out = ToJson(view.campaign);
  json::object decisions{{"pending", 0}, {"keep", 0}, {"revoke", 0}};
  for (const auto& [decision, count] : view.decisions) {
    decisions[decision] = count;
  }
  out["decisions"] = std::move(decisions);
  return out;
}

json::object ToJson(const ReviewItemRecord& i) {
  return {{"campaign", i.campaign_id},
          {"identity", i.identity_id},
          {"identity_name", i.identity_name},
          {"owner", i.owner},
          {"decision", i.decision},
          {"justification", i.justification},
          {"decided_by", EmptyAsNull(i.decided_by)},
          {"decided_at", TimeOrNull(i.decided_at)}};
}

json::object ToJson(const ObservationRecord& o) {
  return {{"id", o.id},
          {"kind", o.kind},
          {"key", o.key},
          {"source", o.source},
          {"target", o.scan_target},
          {"name", o.name},
          {"location", o.location},
          {"attributes", ParsedOrNull(o.attributes_json)},
          {"identity", EmptyAsNull(o.identity_id)},
          {"state", o.state},
          {"changes", ParsedOrNull(o.changes_json)},
          {"first_seen", FormatRfc3339(o.first_seen)},
          {"last_seen", FormatRfc3339(o.last_seen)}};
}

json::object ToJson(const ScanRunRecord& s) {
  return {{"id", s.id},
          {"source", s.source},
          {"target", s.target},
          {"state", s.state},
          {"observations", s.observations},
          {"issues", s.issues},
          {"issue_samples", ParsedOrNull(s.issues_json)},
          {"started_by", s.started_by},
          {"started_at", FormatRfc3339(s.started_at)},
          {"finished_at", TimeOrNull(s.finished_at)}};
}

json::object ToJson(const discovery::RecordResult& r) {
  return {{"accepted", r.accepted},
          {"matched", r.matched},
          {"unmanaged", r.unmanaged},
          {"changed", r.changed}};
}

json::object ToJson(const discovery::DriftSummary& s) {
  return {{"unmanaged", s.unmanaged},
          {"missing", s.missing},
          {"changed", s.changed}};
}

}  // namespace warden::api
