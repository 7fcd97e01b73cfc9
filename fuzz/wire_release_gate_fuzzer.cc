// Fuzzes the wire form of release gates (what an SDK reads from the stream):
// any JSON is either refused with a Status or yields a gate that compiles
// into a snapshot and evaluates.
#include <boost/json/parse.hpp>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "eval/snapshot_builder.h"
#include "wire/release_gate_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace warden;
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(
      std::string_view(reinterpret_cast<const char*>(data), size), ec);
  if (ec) return 0;
  warden::Result<eval::ReleaseGate> gate = wire::GateFromJson(value, "gate");
  if (!gate.ok()) return 0;
  eval::EnvironmentConfig config;
  eval::Flag flag;
  flag.key = gate->flag_keys.empty() ? "f" : gate->flag_keys.front();
  flag.variants = {{"on", true}, {"off", false}};
  flag.default_variant = "on";
  config.flags.push_back(flag);
  config.gates.push_back(*gate);
  auto snapshot = eval::SnapshotBuilder().Build(std::move(config));
  if (!snapshot.ok()) return 0;
  eval::EvaluationContext context;
  context.targeting_key = "acme";
  (*snapshot)->Evaluate(flag.key, context);
  wire::GateToJson(*gate);
  return 0;
}
