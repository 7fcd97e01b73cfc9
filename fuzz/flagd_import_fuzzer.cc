// Fuzzes flagd flag-definition import: any input must give a value or a
// Status, never a crash. Accepted documents must also build, evaluate, and
// survive export -> import. Import warnings (eval/config_warning.h) are
// checked too: each has a path and a message, there are at most
// kMaxImportWarnings, and a flag that answers PARSE_ERROR was warned about.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "eval/flagd_format.h"
#include "eval/snapshot_builder.h"

namespace {

using namespace warden::eval;

void CheckWarnings(const FlagdDocument& doc) {
  if (doc.warnings.size() > kMaxImportWarnings) std::abort();
  for (const ConfigWarning& w : doc.warnings) {
    if (w.path.empty() || w.message.empty()) std::abort();
  }
}

bool WarnsOfParseError(const FlagdDocument& doc) {
  for (const ConfigWarning& w : doc.warnings) {
    if (w.message.find("PARSE_ERROR") != std::string::npos) return true;
  }
  return doc.warnings_omitted > 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto doc = ReadFlagd(text, {}, {});
  if (!doc.ok()) return 0;
  CheckWarnings(*doc);
  // Read again with the file's evaluators as the stored ones: a file
  // without $evaluators compiles against them, and must still import.
  if (!ReadFlagd(text, {}, doc->config.evaluators).ok()) std::abort();
  EnvironmentConfig config = doc->config;
  auto exported = ExportFlagd(config);
  if (!exported.ok() || !ImportFlagd(*exported).ok()) std::abort();
  auto snapshot = SnapshotBuilder().Build(std::move(config));
  if (!snapshot.ok()) std::abort();  // import validates what build does
  EvaluationContext ctx;
  ctx.targeting_key = "tenant-1";
  ctx.attributes["email"] = "a@faas.com";
  ctx.attributes["version"] = "1.2.3";
  ctx.attributes["n"] = 3;
  const bool warned = WarnsOfParseError(*doc);
  (*snapshot)->EvaluateAll(
      ctx, [warned](std::string_view, const EvaluationResult& r) {
        if (r.reason == Reason::kError && r.ok()) std::abort();
        if (r.error_code == ErrorCode::kParseError && !warned) std::abort();
      });
  return 0;
}
