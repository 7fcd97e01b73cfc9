// Fuzzes the PKCS#10 CSR parser and the CA's leaf inspection (renewal input)
// of src/pki: any input gives a value or a Status, never a crash. Invariant:
// an accepted CSR signs into a leaf that InspectLeaf accepts with the same
// SPIFFE ID (the round trip a renewal depends on).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "pki/certificate_authority.h"

namespace {

struct Harness {
  Harness()
      : ca(warden::pki::CertificateAuthority::Generate(
               "fuzz.example", warden::FromMicros(1'800'000'000'000'000))
               .value()) {}
  std::unique_ptr<warden::pki::CertificateAuthority> ca;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Harness harness;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)harness.ca->InspectLeaf(text);
  auto request = warden::pki::CertificateRequest::Parse(text);
  if (!request.ok()) return 0;
  constexpr char kId[] = "spiffe://fuzz.example/ns/dev/sa/x";
  auto issued =
      harness.ca->Sign(*request, kId, warden::FromMicros(1'800'000'000'000'000),
                       std::chrono::hours(1));
  if (!issued.ok()) std::abort();
  auto facts = harness.ca->InspectLeaf(issued->pem);
  if (!facts.ok() || facts->spiffe_id != kId ||
      facts->public_key_der != request->public_key_der()) {
    std::abort();
  }
  return 0;
}
