// Kubernetes API objects (core/v1 ServiceAccount and Secret,
// rbac.authorization.k8s.io/v1 RoleBinding and ClusterRoleBinding) read with
// yaml-cpp. yaml-cpp throws; every call into it is inside ParseDocument's
// try block so no exception leaves this file.
#include "discovery/kubernetes_scanner.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "discovery/file_walk.h"

namespace warden::discovery {
namespace {

constexpr std::string_view kSource = "k8s";
constexpr char kDefaultNamespace[] = "default";

// Workload identity annotations: annotation -> cloud provider.
constexpr std::array<std::pair<std::string_view, std::string_view>, 3>
    kCloudIdentityAnnotations = {{
        {"eks.amazonaws.com/role-arn", "aws"},
        {"iam.gke.io/gcp-service-account", "gcp"},
        {"azure.workload.identity/client-id", "azure"},
    }};

// yaml-cpp shares aliased nodes instead of copying them, so a small
// document can name the same large list many times ("billion laughs");
// reading stops after this many list items, subjects and keys.
constexpr int64_t kMaxEntriesPerDocument = 1'000'000;

// One YAML document of a file: its text and the 1-based line it starts on.
struct Document {
  std::string_view text;
  int64_t first_line = 1;
};

bool IsDocumentMarker(std::string_view line) {
  return line.starts_with("---") && (line.size() == 3 || line[3] == ' ' ||
                                     line[3] == '\t' || line[3] == '\r');
}

// Splits at "---" lines so that one broken document does not hide the
// others. A "---" at the start of a line is always a marker: YAML 1.2
// (section 9.1.4, c-forbidden) forbids it inside any scalar.
std::vector<Document> SplitDocuments(std::string_view text) {
  std::vector<Document> documents;
  size_t start = 0;
  size_t pos = 0;
  int64_t line = 1;
  int64_t start_line = 1;
  while (pos < text.size()) {
    const size_t newline = text.find('\n', pos);
    const size_t end =
        newline == std::string_view::npos ? text.size() : newline;
    if (pos > start && IsDocumentMarker(text.substr(pos, end - pos))) {
      documents.push_back({text.substr(start, pos - start), start_line});
      start = pos;
      start_line = line;
    }
    pos = end == text.size() ? end : end + 1;
    ++line;
  }
  if (start < text.size()) {
    documents.push_back({text.substr(start), start_line});
  }
  return documents;
}

std::string Scalar(const YAML::Node& node) {
  return node.IsDefined() && node.IsScalar() ? node.Scalar() : std::string();
}

// node[key], or an undefined node. yaml-cpp answers a missing key with an
// invalid node whose type queries throw; this never returns one.
YAML::Node Child(const YAML::Node& node, const char* key) {
  if (!node.IsDefined() || !node.IsMap()) {
    return YAML::Node(YAML::NodeType::Undefined);
  }
  const YAML::Node child = node[key];
  return child.IsDefined() ? child : YAML::Node(YAML::NodeType::Undefined);
}

std::string ChildScalar(const YAML::Node& node, const char* key) {
  const YAML::Node child = Child(node, key);
  return child.IsDefined() ? Scalar(child) : std::string();
}

std::string Join(const std::set<std::string>& words) {
  std::string joined;
  for (const auto& word : words) {
    if (!joined.empty()) joined += ' ';
    joined += word;
  }
  return joined;
}

// Reads the objects of one document, appending observations and issues.
class ObjectReader {
 public:
  ObjectReader(const Document& document, std::string_view origin,
               ScanReport& report)
      : document_(document), origin_(origin), report_(report) {}

  void Read(const YAML::Node& object) {
    if (!object.IsMap()) return;  // an empty document or a stray scalar
    const std::string kind = ChildScalar(object, "kind");
    if (kind.ends_with("List")) {
      const YAML::Node items = Child(object, "items");
      if (!items.IsSequence()) return;
      for (const YAML::Node& item : items) {
        if (!Spend()) return;
        ReadObject(item);
      }
      return;
    }
    ReadObject(object);
  }

 private:
  // Shared facts of a named, namespaced object.
  struct Meta {
    std::string name;
    std::string ns;
    YAML::Node annotations;
  };

  void ReadObject(const YAML::Node& object) {
    if (!object.IsMap()) return;
    const std::string kind = ChildScalar(object, "kind");
    if (kind != "ServiceAccount" && kind != "Secret" && kind != "RoleBinding" &&
        kind != "ClusterRoleBinding") {
      return;
    }
    const YAML::Node metadata = Child(object, "metadata");
    Meta meta{.name = ChildScalar(metadata, "name"),
              .ns = ChildScalar(metadata, "namespace"),
              .annotations = Child(metadata, "annotations")};
    if (meta.name.empty()) {
      AddIssue(report_, origin_, Line(object), kind + " without metadata.name");
      return;
    }
    if (meta.ns.empty()) meta.ns = kDefaultNamespace;
    if (kind == "ServiceAccount") {
      ReadServiceAccount(object, meta);
    } else if (kind == "Secret") {
      ReadSecret(object, meta);
    } else {
      ReadBinding(object, meta, kind);
    }
  }

  // Counts one entry read against the document's budget; false (after one
  // issue) once it is spent.
  bool Spend() {
    if (budget_ > 0) {
      --budget_;
      return true;
    }
    if (!budget_issue_) {
      budget_issue_ = true;
      AddIssue(report_, origin_, document_.first_line,
               "document has more than " +
                   std::to_string(kMaxEntriesPerDocument) +
                   " entries (through aliases?); the rest is not read");
    }
    return false;
  }

  // The "name" fields of a sequence of references, space separated.
  std::string ReferenceNames(const YAML::Node& list) {
    std::string names;
    if (!list.IsSequence()) return names;
    for (const YAML::Node& item : list) {
      if (!Spend()) break;
      const std::string name = ChildScalar(item, "name");
      if (name.empty()) continue;
      if (!names.empty()) names += ' ';
      names += name;
    }
    return names;
  }

  // Adds the keys of `map` (when it is one) to `keys`.
  void AddMapKeys(const YAML::Node& map, std::set<std::string>& keys) {
    if (!map.IsMap()) return;
    for (const auto& entry : map) {
      if (!Spend()) return;
      keys.insert(Scalar(entry.first));
    }
  }

  int64_t Line(const YAML::Node& node) const {
    const int line = node.Mark().line;
    return document_.first_line + (line < 0 ? 0 : line);
  }

  Observation Make(std::string_view kind, std::string key, std::string name,
                   const YAML::Node& at) const {
    Observation o;
    o.kind = kind;
    o.source = kSource;
    o.key = std::move(key);
    o.name = std::move(name);
    o.location = FileLocation(origin_, Line(at));
    return o;
  }

  void ReadServiceAccount(const YAML::Node& object, const Meta& meta) {
    Observation o = Make(kK8sServiceAccountKind, meta.ns + "/" + meta.name,
                         meta.name, object);
    auto& a = o.attributes;
    a["namespace"] = meta.ns;
    a["automount_token"] = ChildScalar(object, "automountServiceAccountToken");
    a["secrets"] = ReferenceNames(Child(object, "secrets"));
    a["image_pull_secrets"] = ReferenceNames(Child(object, "imagePullSecrets"));
    a["cloud_identity"] = "";
    a["cloud_provider"] = "";
    for (const auto& [annotation, provider] : kCloudIdentityAnnotations) {
      const std::string value =
          ChildScalar(meta.annotations, std::string(annotation).c_str());
      if (value.empty()) continue;
      a["cloud_identity"] = value;
      a["cloud_provider"] = provider;
      break;
    }
    report_.observations.push_back(std::move(o));
  }

  void ReadSecret(const YAML::Node& object, const Meta& meta) {
    Observation o =
        Make(kK8sSecretKind, meta.ns + "/" + meta.name, meta.name, object);
    auto& a = o.attributes;
    a["namespace"] = meta.ns;
    a["type"] = ChildScalar(object, "type");
    if (a["type"].empty()) a["type"] = "Opaque";
    a["service_account"] =
        ChildScalar(meta.annotations, "kubernetes.io/service-account.name");
    std::set<std::string> keys;
    AddMapKeys(Child(object, "data"), keys);
    AddMapKeys(Child(object, "stringData"), keys);
    a["keys"] = Join(keys);
    report_.observations.push_back(std::move(o));
  }

  void ReadBinding(const YAML::Node& object, const Meta& meta,
                   const std::string& kind) {
    const bool cluster_wide = kind == "ClusterRoleBinding";
    const YAML::Node role = Child(object, "roleRef");
    const YAML::Node subjects = Child(object, "subjects");
    if (!subjects.IsSequence()) return;
    for (const YAML::Node& subject : subjects) {
      if (!Spend()) return;
      if (ChildScalar(subject, "kind") != "ServiceAccount") continue;
      const std::string sa = ChildScalar(subject, "name");
      std::string sa_ns = ChildScalar(subject, "namespace");
      if (sa.empty()) continue;
      if (sa_ns.empty()) sa_ns = cluster_wide ? kDefaultNamespace : meta.ns;
      std::string binding = meta.name;
      if (cluster_wide) {
        binding = "cluster:" + meta.name;
      } else if (sa_ns != meta.ns) {
        binding = meta.ns + ":" + meta.name;
      }
      Observation o = Make(kK8sRoleBindingKind,
                           sa_ns + "/" + binding + "/" + sa, sa, subject);
      auto& a = o.attributes;
      a["role_kind"] = ChildScalar(role, "kind");
      a["role_name"] = ChildScalar(role, "name");
      a["subject_namespace"] = sa_ns;
      a["subject_name"] = sa;
      a["binding_kind"] = kind;
      a["binding_name"] = meta.name;
      a["binding_namespace"] = cluster_wide ? "" : meta.ns;
      a["cluster_wide"] = cluster_wide ? "true" : "false";
      report_.observations.push_back(std::move(o));
    }
  }

  const Document& document_;
  std::string_view origin_;
  ScanReport& report_;
  int64_t budget_ = kMaxEntriesPerDocument;
  bool budget_issue_ = false;
};

void ParseDocument(const Document& document, std::string_view origin,
                   ScanReport& report) {
  try {
    const YAML::Node root = YAML::Load(std::string(document.text));
    ObjectReader(document, origin, report).Read(root);
  } catch (const YAML::Exception& e) {
    const int line = e.mark.is_null() ? 0 : e.mark.line;
    AddIssue(report, origin, document.first_line + line,
             "invalid YAML: " + e.msg);
  } catch (const std::exception& e) {
    AddIssue(report, origin, document.first_line,
             std::string("cannot read YAML: ") + e.what());
  }
}

bool IsYamlFile(const std::filesystem::path& path) {
  const std::string extension = path.extension().string();
  return extension == ".yaml" || extension == ".yml";
}

}  // namespace

void ParseKubernetesManifests(std::string_view text, std::string_view origin,
                              ScanReport& report) {
  for (const Document& document : SplitDocuments(text)) {
    ParseDocument(document, origin, report);
  }
}

ScanReport ScanKubernetesManifests(const std::filesystem::path& root,
                                   const ProgressCallback& progress,
                                   const KubernetesScanOptions& options) {
  ScanReport report;
  for (const auto& path :
       CollectFiles(root, options.max_file_bytes, report, IsYamlFile)) {
    std::optional<std::string> text = ReadScannedFile(path, report, progress);
    if (text) ParseKubernetesManifests(*text, path.string(), report);
  }
  return report;
}

}  // namespace warden::discovery
