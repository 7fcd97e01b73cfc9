#include "policy/attribute_value.h"

namespace warden::policy {

AttributeValue AttributeValue::FromJson(const boost::json::value* v) {
  if (v == nullptr) return Missing();
  AttributeValue a;
  a.json = v;
  switch (v->kind()) {
    case boost::json::kind::null:
      a.kind = Kind::kNull;
      break;
    case boost::json::kind::bool_:
      a.kind = Kind::kBool;
      a.boolean = v->get_bool();
      break;
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_:
      a.kind = Kind::kNumber;
      a.number = v->to_number<double>();
      break;
    case boost::json::kind::string:
      a.kind = Kind::kString;
      a.string = v->get_string();
      break;
    case boost::json::kind::array:
      a.kind = Kind::kArray;
      break;
    case boost::json::kind::object:
      a.kind = Kind::kObject;
      break;
  }
  return a;
}

bool StrictEquals(const AttributeValue& a, const AttributeValue& b) {
  using Kind = AttributeValue::Kind;
  if (a.kind != b.kind || a.kind == Kind::kMissing) return false;
  switch (a.kind) {
    case Kind::kNull:
      return true;
    case Kind::kBool:
      return a.boolean == b.boolean;
    case Kind::kNumber:
      return a.number == b.number;
    case Kind::kString:
      return a.string == b.string;
    case Kind::kArray:
    case Kind::kObject:
      // A whole root has no JSON value to compare (attribute_value.h).
      return a.json != nullptr && b.json != nullptr && *a.json == *b.json;
    case Kind::kMissing:
      break;
  }
  return false;
}

}  // namespace warden::policy
