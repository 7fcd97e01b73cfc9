#include "posture/observation_findings.h"

#include <boost/json.hpp>

#include "core/time_format.h"
#include "discovery/observation.h"
#include "posture/finding_catalog.h"

namespace warden::posture {
namespace {

namespace json = boost::json;
using std::chrono::days;

std::string Attribute(const json::object& attributes, std::string_view name) {
  const json::value* value = attributes.if_contains(name);
  if (value == nullptr || !value->is_string()) return {};
  return std::string(value->get_string());
}

class ObservationSink {
 public:
  ObservationSink(const ObservationRecord& o, const std::string& owner)
      : observation_(o), owner_(owner) {}
  void Add(std::string_view rule, json::object evidence,
           std::string severity = {}) {
    Finding f;
    f.rule = rule;
    f.severity = severity.empty() ? std::string(FindRule(rule)->severity)
                                  : std::move(severity);
    f.subject_key = ObservationSubjectKey(observation_);
    f.identity_id = observation_.identity_id;
    f.subject =
        observation_.name.empty() ? observation_.key : observation_.name;
    f.owner = owner_;
    evidence["kind"] = observation_.kind;
    evidence["location"] = observation_.location;
    evidence["source"] = observation_.source;
    f.evidence = std::move(evidence);
    out_.push_back(std::move(f));
  }
  std::vector<Finding> Take() { return std::move(out_); }

 private:
  const ObservationRecord& observation_;
  const std::string& owner_;
  std::vector<Finding> out_;
};

void CheckCertificate(const json::object& a, const PosturePolicy& policy,
                      Timestamp now, ObservationSink& sink) {
  Result<Timestamp> not_after = ParseRfc3339(Attribute(a, "not_after"));
  if (!not_after.ok() || *not_after <= now) return;
  const auto left = *not_after - now;
  if (left > days(policy.certificate_windows_days.front())) return;
  const int64_t days_left = std::chrono::duration_cast<days>(left).count();
  sink.Add(kCertificateExpiring,
           {{"not_after", FormatRfc3339(*not_after)},
            {"days_left", days_left},
            {"issuer", Attribute(a, "issuer")}},
           CertificateExpirySeverity(days_left, policy));
}

void CheckCloudKey(const json::object& a, const PosturePolicy& policy,
                   Timestamp now, ObservationSink& sink) {
  if (Attribute(a, "active") == "false") return;
  Result<Timestamp> rotated = ParseRfc3339(Attribute(a, "last_rotated"));
  if (!rotated.ok()) return;
  const int64_t age = std::chrono::duration_cast<days>(now - *rotated).count();
  if (age <= policy.cloud_key_rotation_days) return;
  sink.Add(kCloudKeyRotationOverdue,
           {{"last_rotated", FormatRfc3339(*rotated)},
            {"age_days", age},
            {"rotation_days", policy.cloud_key_rotation_days}});
}

}  // namespace

std::string ObservationSubjectKey(const ObservationRecord& observation) {
  return "observation/" + observation.kind + "/" + observation.key;
}

std::vector<Finding> EvaluateObservation(const ObservationRecord& o,
                                         const std::string& owner,
                                         const PosturePolicy& policy,
                                         Timestamp now) {
  if (o.state != "present") return {};
  boost::system::error_code error;
  json::value parsed = json::parse(o.attributes_json, error);
  const json::object empty;
  const json::object& a = parsed.is_object() ? parsed.get_object() : empty;
  ObservationSink sink(o, owner);
  if (o.kind == discovery::kLeakedSecretKind) {
    sink.Add(kSecretLeaked, {{"rule", Attribute(a, "rule")},
                             {"fingerprint", Attribute(a, "fingerprint")},
                             {"file", Attribute(a, "file")},
                             {"line", Attribute(a, "line")}});
  }
  if (discovery::IsIdentityObservation(o.kind) && o.identity_id.empty()) {
    sink.Add(kUnmanagedIdentity, {{"name", o.name}, {"key", o.key}});
  }
  if (o.kind == discovery::kCertificateKind) {
    CheckCertificate(a, policy, now, sink);
  }
  if (o.kind == discovery::kK8sRoleBindingKind &&
      Attribute(a, "role_name") == "cluster-admin") {
    sink.Add(kClusterAdminBinding,
             {{"role_kind", Attribute(a, "role_kind")},
              {"subject_namespace", Attribute(a, "subject_namespace")},
              {"subject_name", Attribute(a, "subject_name")}});
  }
  if (o.kind == discovery::kCloudAccessKeyKind) {
    CheckCloudKey(a, policy, now, sink);
  }
  if (o.kind == discovery::kOAuthGrantKind &&
      Attribute(a, "verified_publisher") == "false") {
    sink.Add(kOAuthGrantUnverified, {{"publisher", Attribute(a, "publisher")},
                                     {"scopes", Attribute(a, "scopes")}});
  }
  return sink.Take();
}

}  // namespace warden::posture
