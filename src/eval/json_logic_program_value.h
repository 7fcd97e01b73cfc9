// Internal to src/eval: the values a compiled JsonLogic program
// (json_logic_program.h) computes with, and JavaScript's coercions on them
// as json-logic-js applies them. Each function mirrors the interpreter's
// function of the same name in json_logic.cc on LogicValue; inline because
// every condition of a program runs through them.
//
#ifndef WARDEN_EVAL_JSON_LOGIC_PROGRAM_VALUE_H_
#define WARDEN_EVAL_JSON_LOGIC_PROGRAM_VALUE_H_

#include <boost/json/value.hpp>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <string_view>
#include <vector>

#include "eval/flat_string_map.h"
#include "eval/json_logic.h"
#include "eval/string_bytes.h"

namespace warden::eval::program {

using Kind = LogicValue::Kind;

struct ConstArray;

// A LogicValue that owns nothing: strings view the program's tree or the
// evaluation context, kJson views a context container, kArray a constant
// array of the program. Plain data, copied freely.
struct Value {
  Kind kind = Kind::kNull;
  union {  // by kind
    bool b;
    double num = 0;
    const boost::json::value* json;
    const ConstArray* array;
  };
  std::string_view str;

  static Value Bool(bool v) {
    Value out;
    out.kind = Kind::kBool;
    out.b = v;
    return out;
  }
  static Value Number(double v) {
    Value out;
    out.kind = Kind::kNumber;
    out.num = v;
    return out;
  }
  static Value String(std::string_view v) {
    Value out;
    out.kind = Kind::kString;
    out.str = v;
    return out;
  }
  static Value FromJson(const boost::json::value& v);
};

// "in" lists longer than this are probed through a hash of their strings.
constexpr size_t kScanItems = 8;

// A literal array of scalars, converted once.
struct ConstArray {
  std::vector<Value> items;
  FlatStringMap<bool> strings;  // string items, when indexed
  bool indexed = false;
};

inline Value Value::FromJson(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::bool_:
      return Bool(v.get_bool());
    case boost::json::kind::int64:
      return Number(static_cast<double>(v.get_int64()));
    case boost::json::kind::uint64:
      return Number(static_cast<double>(v.get_uint64()));
    case boost::json::kind::double_:
      return Number(v.get_double());
    case boost::json::kind::string:
      return String(v.get_string());
    case boost::json::kind::array:
    case boost::json::kind::object: {
      Value out;
      out.kind = Kind::kJson;
      out.json = &v;
      return out;
    }
    default:
      return {};
  }
}

// ---- value helpers, one per interpreter helper ----

inline double ToNumber(const Value& v) {
  switch (v.kind) {
    case Kind::kNull:
      return 0;
    case Kind::kBool:
      return v.b ? 1 : 0;
    case Kind::kNumber:
      return v.num;
    case Kind::kString: {
      std::string_view s = v.str;
      while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
      while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
      if (s.empty()) return 0;
      double out = 0;
      auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
      if (ec != std::errc() || ptr != s.data() + s.size()) return NAN;
      return out;
    }
    default:
      return NAN;
  }
}

inline bool Truthy(const Value& v) {
  switch (v.kind) {
    case Kind::kNull:
      return false;
    case Kind::kBool:
      return v.b;
    case Kind::kNumber:
      return v.num != 0 && !std::isnan(v.num);
    case Kind::kString:
      return !v.str.empty();
    case Kind::kArray:
      return !v.array->items.empty();
    case Kind::kJson:
      return !v.json->is_array() || !v.json->get_array().empty();
  }
  return false;
}

// Arrays never equal (the interpreter builds a new array per evaluation);
// context containers equal only themselves.
inline bool StrictEquals(const Value& a, const Value& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case Kind::kNull:
      return true;
    case Kind::kBool:
      return a.b == b.b;
    case Kind::kNumber:
      return a.num == b.num;
    case Kind::kString:
      return BytesEqual(a.str, b.str);
    case Kind::kJson:
      return a.json == b.json;
    default:
      return false;
  }
}

inline bool IsPrimitive(const Value& v) {
  return v.kind != Kind::kJson && v.kind != Kind::kArray;
}

inline bool LooseEquals(const Value& a, const Value& b) {
  if (a.kind == b.kind) return StrictEquals(a, b);
  if (a.kind == Kind::kNull || b.kind == Kind::kNull) return false;
  if (!IsPrimitive(a) || !IsPrimitive(b)) return false;
  return ToNumber(a) == ToNumber(b);
}

inline bool Less(const Value& a, const Value& b, bool or_equal) {
  if (a.kind == Kind::kString && b.kind == Kind::kString) {
    return or_equal ? a.str <= b.str : a.str < b.str;
  }
  double x = ToNumber(a), y = ToNumber(b);
  return or_equal ? x <= y : x < y;
}

inline bool IsArray(const Value& v) {
  return v.kind == Kind::kArray ||
         (v.kind == Kind::kJson && v.json->is_array());
}

inline size_t ArraySize(const Value& v) {
  if (v.kind == Kind::kArray) return v.array->items.size();
  if (v.kind == Kind::kJson && v.json->is_array()) {
    return v.json->get_array().size();
  }
  return 0;
}

inline Value ArrayItem(const Value& v, size_t i) {
  if (v.kind == Kind::kArray) return v.array->items[i];
  return Value::FromJson(v.json->get_array()[i]);
}

inline bool Contains(const ConstArray& hay, const Value& needle) {
  if (hay.indexed && needle.kind == Kind::kString) {
    return hay.strings.Contains(needle.str);
  }
  for (const Value& item : hay.items) {
    if (StrictEquals(item, needle)) return true;
  }
  return false;
}

}  // namespace warden::eval::program

#endif  // WARDEN_EVAL_JSON_LOGIC_PROGRAM_VALUE_H_
