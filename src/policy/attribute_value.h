// A view of one attribute's value as a policy condition sees it: a scalar
// computed by Warden (a fact) or a JSON value borrowed from the request, the
// policy data or a fact object. Never owns anything; valid while what it
// views is.
#ifndef WARDEN_POLICY_ATTRIBUTE_VALUE_H_
#define WARDEN_POLICY_ATTRIBUTE_VALUE_H_

#include <boost/json/value.hpp>
#include <string_view>

namespace warden::policy {

struct AttributeValue {
  enum class Kind { kMissing, kNull, kBool, kNumber, kString, kArray, kObject };
  Kind kind = Kind::kMissing;
  bool boolean = false;
  double number = 0;
  std::string_view string;
  // kArray, kObject (and scalars read from JSON, when known). Null for a
  // whole root that no JSON value wraps (WalkJson with an empty path, e.g.
  // "context" or "tenant"): such a value is present but equals nothing.
  const boost::json::value* json = nullptr;

  static AttributeValue Missing() { return {}; }
  static AttributeValue Bool(bool v) {
    AttributeValue a;
    a.kind = Kind::kBool;
    a.boolean = v;
    return a;
  }
  static AttributeValue Number(double v) {
    AttributeValue a;
    a.kind = Kind::kNumber;
    a.number = v;
    return a;
  }
  static AttributeValue String(std::string_view v) {
    AttributeValue a;
    a.kind = Kind::kString;
    a.string = v;
    return a;
  }
  // nullptr is Missing.
  static AttributeValue FromJson(const boost::json::value* v);

  bool missing() const { return kind == Kind::kMissing; }
  // Conditions hold only when they evaluate to boolean true.
  bool IsTrue() const { return kind == Kind::kBool && boolean; }
};

// Strict equality: same kind and same value (numbers as doubles; arrays and
// objects by value). Missing equals nothing, not even Missing; nor does an
// array or object without `json`.
bool StrictEquals(const AttributeValue& a, const AttributeValue& b);

}  // namespace warden::policy

#endif  // WARDEN_POLICY_ATTRIBUTE_VALUE_H_
