#include "posture/finding_reconciler.h"

#include <boost/json.hpp>
#include <map>

#include "posture/finding_catalog.h"

namespace warden::posture {
namespace {

std::vector<std::string> CsfOf(const RuleSpec& rule) {
  std::vector<std::string> csf(rule.csf.begin(), rule.csf.end());
  std::sort(csf.begin(), csf.end());
  return csf;
}

// Brings `record` up to date with `finding`; true when anything changed.
bool Refresh(const Finding& finding, FindingRecord& record) {
  const std::string evidence = boost::json::serialize(finding.evidence);
  bool changed = false;
  auto set = [&changed](auto& field, const auto& value) {
    if (field == value) return;
    field = value;
    changed = true;
  };
  set(record.evidence_json, evidence);
  set(record.severity, finding.severity);
  set(record.owner, finding.owner);
  set(record.subject, finding.subject);
  set(record.identity_id, finding.identity_id);
  return changed;
}

void Bump(FindingRecord& record, Timestamp now) {
  record.version += 1;
  record.last_seen = now;
}

}  // namespace

std::string Fingerprint(std::string_view rule, std::string_view subject_key) {
  return std::string(rule) + "|" + std::string(subject_key);
}

FindingRecord NewRecord(const Finding& finding, std::string id, Timestamp now) {
  const RuleSpec* rule = FindRule(finding.rule);
  FindingRecord record;
  record.id = std::move(id);
  record.fingerprint = Fingerprint(finding.rule, finding.subject_key);
  record.rule = std::string(finding.rule);
  record.severity = finding.severity;
  record.subject_key = finding.subject_key;
  record.identity_id = finding.identity_id;
  record.subject = finding.subject;
  record.owner = finding.owner;
  record.owasp = std::string(rule->owasp);
  record.csf = CsfOf(*rule);
  record.evidence_json = boost::json::serialize(finding.evidence);
  record.remediation = std::string(rule->remediation);
  record.first_seen = now;
  record.last_seen = now;
  return record;
}

FindingChanges Reconcile(const std::vector<Finding>& fresh,
                         const std::vector<FindingRecord>& stored,
                         const std::function<bool(std::string_view)>& managed,
                         const std::function<std::string()>& new_id,
                         Timestamp now) {
  std::map<std::string, const FindingRecord*> by_fingerprint;
  for (const FindingRecord& record : stored) {
    by_fingerprint[record.fingerprint] = &record;
  }
  FindingChanges changes;
  for (const Finding& finding : fresh) {
    const std::string fingerprint =
        Fingerprint(finding.rule, finding.subject_key);
    auto found = by_fingerprint.find(fingerprint);
    if (found == by_fingerprint.end()) {
      changes.inserts.push_back(NewRecord(finding, new_id(), now));
      ++changes.opened;
      continue;
    }
    FindingRecord record = *found->second;
    by_fingerprint.erase(found);
    bool write = Refresh(finding, record);
    if (record.state == "resolved") {
      record.state = "open";
      record.resolved_at.reset();
      record.ack_reason.clear();
      record.ack_by.clear();
      record.ack_expires_at.reset();
      ++changes.reopened;
      write = true;
    } else if (record.state == "acknowledged" && record.ack_expires_at &&
               *record.ack_expires_at <= now) {
      record.state = "open";
      write = true;
      ++changes.changed;
    } else if (write) {
      ++changes.changed;
    }
    if (!write) continue;
    Bump(record, now);
    changes.updates.push_back(std::move(record));
  }
  for (const auto& [fingerprint, stale] : by_fingerprint) {
    if (stale->state == "resolved" || !managed(stale->rule)) continue;
    FindingRecord record = *stale;
    record.state = "resolved";
    record.resolved_at = now;
    Bump(record, now);
    changes.updates.push_back(std::move(record));
    ++changes.resolved;
  }
  return changes;
}

}  // namespace warden::posture
