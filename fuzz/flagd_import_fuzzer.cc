// Fuzzes flagd flag-definition import: any input must give a value or a
// Status, never a crash. Accepted documents must also build, evaluate, and
// survive export -> import.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "eval/flagd_format.h"
#include "eval/snapshot_builder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace warden::eval;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto config = ImportFlagd(text);
  if (!config.ok()) return 0;
  auto exported = ExportFlagd(*config);
  if (!exported.ok() || !ImportFlagd(*exported).ok()) std::abort();
  auto snapshot = SnapshotBuilder().Build(std::move(config).value());
  if (!snapshot.ok()) std::abort();  // import validates what build does
  EvaluationContext ctx;
  ctx.targeting_key = "tenant-1";
  ctx.attributes["email"] = "a@faas.com";
  ctx.attributes["version"] = "1.2.3";
  ctx.attributes["n"] = 3;
  (*snapshot)->EvaluateAll(ctx,
                           [](std::string_view, const EvaluationResult& r) {
                             if (r.reason == Reason::kError && r.ok())
                               std::abort();
                           });
  return 0;
}
