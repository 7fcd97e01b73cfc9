#include "policy/attribute_path.h"

#include <array>
#include <utility>

namespace warden::policy {
namespace {

std::vector<std::string> Split(std::string_view dotted) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= dotted.size()) {
    size_t dot = dotted.find('.', start);
    if (dot == std::string_view::npos) dot = dotted.size();
    parts.emplace_back(dotted.substr(start, dot - start));
    start = dot + 1;
  }
  return parts;
}

struct RootName {
  std::string_view prefix;  // segments joined by '.'
  PathRoot root;
  bool takes_path;  // may be followed by more segments
};

// Longest prefixes first, so "subject.properties" wins over "subject".
constexpr std::array<RootName, 15> kRoots = {{
    {"subject.properties", PathRoot::kSubjectProperties, true},
    {"subject.identity", PathRoot::kSubjectIdentity, true},
    {"subject.entity", PathRoot::kSubjectEntity, true},
    {"subject.type", PathRoot::kSubjectType, false},
    {"subject.id", PathRoot::kSubjectId, false},
    {"resource.properties", PathRoot::kResourceProperties, true},
    {"resource.entity", PathRoot::kResourceEntity, true},
    {"resource.type", PathRoot::kResourceType, false},
    {"resource.id", PathRoot::kResourceId, false},
    {"action.properties", PathRoot::kActionProperties, true},
    {"action.name", PathRoot::kActionName, false},
    {"context", PathRoot::kContext, true},
    {"caller", PathRoot::kCaller, true},
    {"tenant", PathRoot::kTenant, true},
    {"now", PathRoot::kNow, true},
}};

constexpr std::string_view kRootList =
    "subject.{type,id,properties,entity,identity}, "
    "resource.{type,id,properties,entity}, action.{name,properties}, "
    "context, caller, tenant, now";

}  // namespace

Result<AttributePath> AttributePath::Parse(std::string_view dotted) {
  for (const RootName& name : kRoots) {
    if (!dotted.starts_with(name.prefix)) continue;
    std::string_view rest = dotted.substr(name.prefix.size());
    if (!rest.empty() && rest.front() != '.') continue;
    if (!rest.empty() && !name.takes_path) break;
    AttributePath path;
    path.root = name.root;
    path.text = std::string(dotted);
    if (!rest.empty()) {
      path.parts = Split(rest.substr(1));
      for (const std::string& part : path.parts) {
        if (part.empty()) {
          return InvalidArgument("attribute path \"" + path.text +
                                 "\" has an empty segment");
        }
      }
    }
    return path;
  }
  return InvalidArgument("unknown attribute \"" + std::string(dotted) +
                         "\" (paths start with " + std::string(kRootList) +
                         ")");
}

}  // namespace warden::policy
