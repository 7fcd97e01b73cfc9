// Named bounds on a policy document, each with its reason. A document over
// a bound is refused at load with the path of the offending part.
#ifndef WARDEN_POLICY_POLICY_LIMITS_H_
#define WARDEN_POLICY_POLICY_LIMITS_H_

#include <cstddef>

namespace warden::policy {

// Role sets are fixed-size bitsets, so a decision never allocates.
inline constexpr size_t kMaxRoles = 256;
// Far beyond hand-written policies; bounds load time and memory.
inline constexpr size_t kMaxRules = 10'000;
// Policy data (users, groups, resources with their relations): bounded so
// one upload cannot hold unbounded memory in every replica.
inline constexpr size_t kMaxEntities = 100'000;
// Nesting of a condition, and of the document's JSON overall: conditions
// are evaluated recursively, so depth bounds the stack.
inline constexpr int kMaxConditionDepth = 32;
inline constexpr int kMaxDocumentDepth = 64;
// Nodes of one condition: bounds the work of a single rule.
inline constexpr size_t kMaxConditionNodes = 512;
// A stored policy document (the HTTP body limit is 1 MiB as well).
inline constexpr size_t kMaxPolicyBytes = 1024 * 1024;

}  // namespace warden::policy

#endif  // WARDEN_POLICY_POLICY_LIMITS_H_
