// libFuzzer target: every /v1 request body parser of the HTTP layer, in the
// order a request meets them (strict JSON object, then the resource reader).
// Any input must yield a value or an error Status: never a crash, a leak or
// an uncaught exception.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/resource_json.h"
#include "http/json_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto object = warden::ParseJsonObject(body);
  if (!object.ok()) return 0;
  (void)warden::api::TeamFromJson(*object);
  (void)warden::api::TeamMembersFromJson(*object, "team");
  (void)warden::api::IdentityDraftFromJson(*object);
  (void)warden::api::IdentityPatchFromJson(*object);
  (void)warden::api::ReasonFromJson(*object);
  (void)warden::api::ExceptionRequestFromJson(*object);
  (void)warden::api::UserFromJson(*object);
  (void)warden::api::TokenRequestFromJson(*object);
  return 0;
}
