// What a flag serves while an exposure limit covers it: a limit means off.
//
//  - A boolean flag is off with false, always. The served variant is the
//    off variant when it is false-valued, else the default variant when it
//    is, else the first false-valued variant; a flag with no false-valued
//    variant serves the value false without a variant name.
//  - Any other flag is off with its declared off variant. Without one it
//    cannot be turned off: it serves its default variant (no value, i.e.
//    the caller's code default, when it has none) with reason LIMITED, and
//    the limit's report lists it (exposure/limit_service.h).
//
// Declaring the off variant: the flag JSON's "off_variant" (required for
// non-boolean flags created through the API, see CheckOffVariant), a
// flagd file's flag metadata "offVariant", or, for flagd files without
// it, InferOffVariant.
//
// Pure functions on the flag model; thread-safe.
#ifndef WARDEN_EVAL_OFF_VARIANT_H_
#define WARDEN_EVAL_OFF_VARIANT_H_

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "eval/flag.h"

namespace warden::eval {

struct LimitedServe {
  int variant = -1;           // index into Flag::variants; -1: none
  bool serves_false = false;  // boolean flag without a false variant
  bool turned_off = true;     // false: the flag keeps serving a live value
  std::string why;            // when !turned_off: the reason, for humans
};

// What `flag` serves under a limit. An off_variant naming no variant is
// ignored here (SnapshotBuilder refuses it).
LimitedServe ResolveLimitedServe(const Flag& flag);

// For API-written flags: kInvalidArgument naming "off_variant" when a
// non-boolean flag declares none (problem "off-variant-required") or a
// boolean flag declares a variant that is not false ("invalid-value").
Status CheckOffVariant(const Flag& flag);

// The off variant a flagd flag's variants make unambiguous, for
// non-boolean flags: the one variant named "off" (ASCII case-insensitive),
// else the one variant whose value is "off" (case-insensitive), "", 0 or
// {}. nullopt when there is none or more than one; `candidates` (if not
// null) then receives the ambiguous names.
std::optional<std::string> InferOffVariant(
    const Flag& flag, std::vector<std::string>* candidates = nullptr);

}  // namespace warden::eval

#endif  // WARDEN_EVAL_OFF_VARIANT_H_
