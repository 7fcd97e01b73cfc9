// Where a condition reads a value: a dotted path split once at load, e.g.
// "resource.properties.ownerID" or "subject.identity.environment".
//
// Roots (the first one or two segments):
//   subject.type  subject.id  subject.properties.*  subject.entity.*
//   subject.identity.*
//   resource.type resource.id resource.properties.* resource.entity.*
//   action.name   action.properties.*
//   context.*     caller.*    tenant.*    now.*
// `properties` are what the caller sent; `entity` the attributes the
// policy's own data holds for that (type, id); `identity`, `caller`,
// `tenant` and `now` are Warden's facts (fact_source.h). A segment that is
// all digits indexes an array.
#ifndef WARDEN_POLICY_ATTRIBUTE_PATH_H_
#define WARDEN_POLICY_ATTRIBUTE_PATH_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace warden::policy {

enum class PathRoot {
  kSubjectType,
  kSubjectId,
  kSubjectProperties,
  kSubjectEntity,
  kSubjectIdentity,
  kResourceType,
  kResourceId,
  kResourceProperties,
  kResourceEntity,
  kActionName,
  kActionProperties,
  kContext,
  kCaller,
  kTenant,
  kNow,
};

struct AttributePath {
  PathRoot root = PathRoot::kContext;
  std::vector<std::string> parts;  // below the root
  std::string text;                // as written

  // kInvalidArgument naming the roots when `dotted` starts with none.
  static Result<AttributePath> Parse(std::string_view dotted);
};

}  // namespace warden::policy

#endif  // WARDEN_POLICY_ATTRIBUTE_PATH_H_
