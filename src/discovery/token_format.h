// TokenFormat: a provider's documented token layout in a small notation,
// from which the secret rules derive their RE2 pattern, their `grep -E`
// form (the benchmark baseline) and fake samples (tests, fuzz seeds,
// benchmarks). Writing each layout once keeps the three in agreement.
//
// Notation: literal text, plus
//   {class:n}     exactly n characters of `class`
//   {class:n-m}   n to m characters of `class`
//   {=a|b|c}      one of the literal alternatives
// Classes: d [0-9], h [0-9a-f], H [0-9A-F], hx [0-9a-fA-F], a [a-z],
//   A [A-Z], l [A-Za-z], an [A-Za-z0-9], AN [A-Z0-9], lan [a-z0-9],
//   w [A-Za-z0-9_], wd [A-Za-z0-9_-], wde [A-Za-z0-9_=-], wdot
//   [A-Za-z0-9_.-], b64 [A-Za-z0-9+/], b64u [A-Za-z0-9+/_=-], b32 [A-Z2-7],
//   b32l [a-z2-7], bech [bech32 upper-case alphabet], tilde [A-Za-z0-9_.~-].
//
// Thread-safety: immutable values.
#ifndef WARDEN_DISCOVERY_TOKEN_FORMAT_H_
#define WARDEN_DISCOVERY_TOKEN_FORMAT_H_

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace warden::discovery {

class TokenFormat {
 public:
  // Returns kInvalidArgument naming the offending piece on a malformed
  // notation or an unknown class.
  static Result<TokenFormat> Parse(std::string_view notation);

  // The RE2 pattern (no capture groups) matching exactly the layout.
  std::string ToRe2() const;
  // The same in POSIX ERE as GNU grep -E reads it.
  std::string ToEre() const;
  // The leading literal text (lower-cased alternatives when the layout
  // opens with {=...}); empty when it opens with a class.
  std::vector<std::string> LeadingLiterals() const;
  // A random string in the layout: the middle of every length range,
  // characters drawn uniformly from the class.
  std::string Sample(std::mt19937_64& rng) const;

 private:
  struct Piece {
    enum class Kind { kLiteral, kClass, kAlternatives } kind;
    std::string text;                       // literal, or class characters
    std::vector<std::string> alternatives;  // kAlternatives
    int min = 0;
    int max = 0;
  };
  std::vector<Piece> pieces_;
};

// Escapes `text` for POSIX ERE (GNU grep -E).
std::string QuoteEre(std::string_view text);

}  // namespace warden::discovery

#endif  // WARDEN_DISCOVERY_TOKEN_FORMAT_H_
