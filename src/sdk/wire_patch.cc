#include "sdk/wire_patch.h"

namespace warden::sdk {

namespace json = boost::json;

namespace {

Result<int64_t> IntMember(const json::object& object, std::string_view name) {
  const json::value* value = object.if_contains(name);
  if (value == nullptr || !value->is_int64()) {
    return InvalidArgument("stream event: \"" + std::string(name) +
                           "\" must be an integer");
  }
  return value->as_int64();
}

}  // namespace

Status ApplyWirePatch(const json::object& event, json::object& wire) {
  WARDEN_ASSIGN_OR_RETURN(int64_t revision, IntMember(event, "revision"));
  WARDEN_ASSIGN_OR_RETURN(int64_t base, IntMember(event, "base"));
  const json::value* patch = event.if_contains("patch");
  if (patch == nullptr || !patch->is_object()) {
    return InvalidArgument("stream event: \"patch\" must be an object");
  }
  const json::value* held = wire.if_contains("revision");
  if (held == nullptr || !held->is_int64() || held->as_int64() != base) {
    return FailedPrecondition("stream event: patch for revision " +
                              std::to_string(base) + ", holding " +
                              (held != nullptr && held->is_int64()
                                   ? std::to_string(held->as_int64())
                                   : std::string("none")));
  }
  for (const auto& [key, value] : patch->as_object()) wire[key] = value;
  wire["revision"] = revision;
  return Status::Ok();
}

}  // namespace warden::sdk
