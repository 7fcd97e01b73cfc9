#include "eval/off_variant.h"

#include <fmt/format.h>

#include <cctype>

namespace warden::eval {
namespace {

int IndexOf(const Flag& flag, const std::optional<std::string>& name) {
  if (!name) return -1;
  for (size_t i = 0; i < flag.variants.size(); ++i) {
    if (flag.variants[i].name == *name) return static_cast<int>(i);
  }
  return -1;
}

bool IsFalse(const Flag& flag, int index) {
  return index >= 0 && flag.variants[index].value.is_bool() &&
         !flag.variants[index].value.get_bool();
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

bool IsOffValue(const boost::json::value& v) {
  if (v.is_string()) {
    return v.get_string().empty() || EqualsIgnoringCase(v.get_string(), "off");
  }
  if (v.is_number()) return v.to_number<double>() == 0;
  if (v.is_object()) return v.get_object().empty();
  return false;
}

LimitedServe BooleanServe(const Flag& flag) {
  LimitedServe serve;
  for (int candidate :
       {IndexOf(flag, flag.off_variant), IndexOf(flag, flag.default_variant)}) {
    if (IsFalse(flag, candidate)) {
      serve.variant = candidate;
      return serve;
    }
  }
  for (size_t i = 0; i < flag.variants.size(); ++i) {
    if (IsFalse(flag, static_cast<int>(i))) {
      serve.variant = static_cast<int>(i);
      return serve;
    }
  }
  serve.serves_false = true;
  return serve;
}

// Names of the variants matching `pick`.
template <typename Pick>
std::vector<std::string> Matching(const Flag& flag, Pick pick) {
  std::vector<std::string> names;
  for (const FlagVariant& v : flag.variants) {
    if (pick(v)) names.push_back(v.name);
  }
  return names;
}

}  // namespace

LimitedServe ResolveLimitedServe(const Flag& flag) {
  if (flag.type == FlagType::kBoolean) return BooleanServe(flag);
  LimitedServe serve;
  serve.variant = IndexOf(flag, flag.off_variant);
  if (serve.variant >= 0) return serve;
  serve.turned_off = false;
  serve.variant = IndexOf(flag, flag.default_variant);
  serve.why = serve.variant >= 0
                  ? fmt::format(
                        "{} flag without an off variant: serves its default "
                        "variant \"{}\" with reason LIMITED",
                        FlagTypeName(flag.type), *flag.default_variant)
                  : fmt::format(
                        "{} flag without an off variant or default variant: "
                        "serves no value (the caller's code default) with "
                        "reason LIMITED",
                        FlagTypeName(flag.type));
  return serve;
}

Status CheckOffVariant(const Flag& flag) {
  if (flag.type != FlagType::kBoolean) {
    if (flag.off_variant) return Status::Ok();
    return InvalidArgument(
        fmt::format("off_variant: a {} flag needs the variant it serves while "
                    "an exposure limit covers it (a limit means off)",
                    FlagTypeName(flag.type)),
        "off-variant-required");
  }
  const int index = IndexOf(flag, flag.off_variant);
  if (!flag.off_variant || index < 0 || IsFalse(flag, index)) {
    return Status::Ok();  // unknown names are the builder's to refuse
  }
  return InvalidArgument(
      fmt::format("off_variant: \"{}\" is not false; a boolean flag under "
                  "an exposure limit is false",
                  flag.off_variant->substr(0, 128)),
      "invalid-value");
}

std::optional<std::string> InferOffVariant(
    const Flag& flag, std::vector<std::string>* candidates) {
  std::vector<std::string> named = Matching(flag, [](const FlagVariant& v) {
    return EqualsIgnoringCase(v.name, "off");
  });
  if (named.size() == 1) return named[0];
  std::vector<std::string> valued =
      Matching(flag, [](const FlagVariant& v) { return IsOffValue(v.value); });
  if (named.empty() && valued.size() == 1) return valued[0];
  if (candidates != nullptr) *candidates = named.empty() ? valued : named;
  return std::nullopt;
}

}  // namespace warden::eval
