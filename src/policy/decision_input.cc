#include "policy/decision_input.h"

#include <charconv>

namespace warden::policy {
namespace {

const boost::json::value* Member(const boost::json::value& v,
                                 std::string_view key) {
  if (const auto* object = v.if_object()) return object->if_contains(key);
  if (const auto* array = v.if_array()) {
    size_t index = 0;
    auto [end, error] =
        std::from_chars(key.data(), key.data() + key.size(), index);
    if (error != std::errc() || end != key.data() + key.size()) return nullptr;
    return index < array->size() ? &(*array)[index] : nullptr;
  }
  return nullptr;
}

const boost::json::object* EntityAttributes(const PolicyEntity* entity) {
  return entity == nullptr ? nullptr : &entity->attributes;
}

AttributeValue IdOrMissing(std::string_view s, bool present) {
  return present ? AttributeValue::String(s) : AttributeValue::Missing();
}

}  // namespace

AttributeValue WalkJson(const boost::json::object* root,
                        std::span<const std::string> parts) {
  if (root == nullptr) return AttributeValue::Missing();
  if (parts.empty()) {
    AttributeValue whole;
    whole.kind = AttributeValue::Kind::kObject;
    return whole;  // no JSON value wraps `root`: comparable to nothing
  }
  const boost::json::value* v = root->if_contains(parts[0]);
  for (size_t i = 1; v != nullptr && i < parts.size(); ++i) {
    v = Member(*v, parts[i]);
  }
  return AttributeValue::FromJson(v);
}

AttributeValue Resolve(const DecisionInput& in, const AttributePath& path) {
  const AccessRequest& r = in.request;
  switch (path.root) {
    case PathRoot::kSubjectType:
      return IdOrMissing(r.subject.type, !r.subject.type.empty());
    case PathRoot::kSubjectId:
      return IdOrMissing(r.subject.id, !r.subject.id.empty());
    case PathRoot::kSubjectProperties:
      return WalkJson(r.subject.properties, path.parts);
    case PathRoot::kSubjectEntity:
      return WalkJson(EntityAttributes(in.subject_entity), path.parts);
    case PathRoot::kSubjectIdentity:
      return in.facts.Lookup(FactRoot::kSubjectIdentity, path.parts);
    case PathRoot::kResourceType:
      return IdOrMissing(r.resource.type, !r.resource.type.empty());
    case PathRoot::kResourceId:
      return IdOrMissing(r.resource.id, !r.resource.id.empty());
    case PathRoot::kResourceProperties:
      return WalkJson(r.resource.properties, path.parts);
    case PathRoot::kResourceEntity:
      return WalkJson(EntityAttributes(in.resource_entity), path.parts);
    case PathRoot::kActionName:
      return IdOrMissing(r.action, !r.action.empty());
    case PathRoot::kActionProperties:
      return WalkJson(r.action_properties, path.parts);
    case PathRoot::kContext:
      return WalkJson(r.context, path.parts);
    case PathRoot::kCaller:
      return in.facts.Lookup(FactRoot::kCaller, path.parts);
    case PathRoot::kTenant:
      return in.facts.Lookup(FactRoot::kTenant, path.parts);
    case PathRoot::kNow:
      return in.facts.Lookup(FactRoot::kNow, path.parts);
  }
  return AttributeValue::Missing();
}

}  // namespace warden::policy
