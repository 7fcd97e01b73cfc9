#include "discovery/scanner_registry.h"

#include <filesystem>

#include "discovery/aws_credential_report.h"
#include "discovery/certificate_scanner.h"
#include "discovery/kubernetes_scanner.h"
#include "discovery/oauth_grants.h"
#include "discovery/secret_scanner.h"
#include "discovery/tls_scanner.h"

namespace warden::discovery {
namespace {

using PathScan = ScanReport (*)(const std::filesystem::path&,
                                const ProgressCallback&);

// Runs a scanner of one path over each target, merging the reports.
std::function<ScanReport(const std::vector<std::string>&,
                         const ProgressCallback&)>
EachPath(PathScan scan) {
  return [scan](const std::vector<std::string>& targets,
                const ProgressCallback& progress) {
    ScanReport merged;
    for (const std::string& target : targets) {
      ScanReport one = scan(target, progress);
      merged.files_scanned += one.files_scanned;
      merged.bytes_scanned += one.bytes_scanned;
      std::move(one.observations.begin(), one.observations.end(),
                std::back_inserter(merged.observations));
      std::move(one.issues.begin(), one.issues.end(),
                std::back_inserter(merged.issues));
    }
    return merged;
  };
}

const std::vector<ScannerSpec>& Registry() {
  static const std::vector<ScannerSpec> kScanners = {
      {"certs", "X.509 certificates in PEM or DER files and directories", true,
       EachPath([](const std::filesystem::path& p,
                   const ProgressCallback& progress) {
         return ScanCertificateFiles(p, progress);
       })},
      {"tls", "certificates presented by TLS endpoints (host:port)", false,
       [](const std::vector<std::string>& targets,
          const ProgressCallback& progress) {
         return ScanTlsEndpoints(targets, progress);
       }},
      {"k8s",
       "Kubernetes ServiceAccounts, Secrets and (Cluster)RoleBindings in "
       "YAML manifests",
       true,
       EachPath([](const std::filesystem::path& p,
                   const ProgressCallback& progress) {
         return ScanKubernetesManifests(p, progress);
       })},
      {"aws-credential-report", "the AWS IAM credential report (CSV)", true,
       EachPath([](const std::filesystem::path& p,
                   const ProgressCallback& progress) {
         return ScanAwsCredentialReport(p, progress);
       })},
      {"oauth-grants", "an OAuth app grants export (JSON)", true,
       EachPath([](const std::filesystem::path& p,
                   const ProgressCallback& progress) {
         return ScanOAuthGrants(p, progress);
       })},
      {"secrets",
       "secrets committed to a source tree (gitleaks-style rules; SARIF)", true,
       EachPath([](const std::filesystem::path& p,
                   const ProgressCallback& progress) {
         return ScanSecrets(p.string(), {}, progress);
       })},
  };
  return kScanners;
}

}  // namespace

std::span<const ScannerSpec> Scanners() { return Registry(); }

const ScannerSpec* FindScanner(std::string_view source) {
  for (const ScannerSpec& spec : Registry()) {
    if (spec.source == source) return &spec;
  }
  return nullptr;
}

Result<ScanReport> RunScanner(std::string_view source,
                              const std::vector<std::string>& targets,
                              const ProgressCallback& progress) {
  const ScannerSpec* spec = FindScanner(source);
  if (spec == nullptr) {
    return InvalidArgument("unknown scanner \"" + std::string(source) + "\"");
  }
  if (targets.empty()) {
    return InvalidArgument("scan " + std::string(source) + ": no target given");
  }
  if (spec->takes_paths) {
    for (const std::string& target : targets) {
      std::error_code error;
      if (!std::filesystem::exists(target, error)) {
        return InvalidArgument("scan " + std::string(source) + ": " + target +
                               ": no such file or directory");
      }
    }
  }
  return spec->scan(targets, progress);
}

}  // namespace warden::discovery
