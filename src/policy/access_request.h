// One access question in the AuthZEN information model (OpenID AuthZEN
// Authorization API 1.0, section 5): may `subject` perform `action` on
// `resource` in `context`? Views only: the parsed request body (or a test
// case) owns the strings and objects, and must outlive the request.
#ifndef WARDEN_POLICY_ACCESS_REQUEST_H_
#define WARDEN_POLICY_ACCESS_REQUEST_H_

#include <boost/json/object.hpp>
#include <string_view>

namespace warden::policy {

// A subject or a resource: a type, an id scoped to the type, and the
// properties the caller (the policy enforcement point) supplied.
struct EntityRef {
  std::string_view type;
  std::string_view id;
  const boost::json::object* properties = nullptr;  // null: none given
};

struct AccessRequest {
  EntityRef subject;
  EntityRef resource;
  std::string_view action;
  const boost::json::object* action_properties = nullptr;
  const boost::json::object* context = nullptr;
};

}  // namespace warden::policy

#endif  // WARDEN_POLICY_ACCESS_REQUEST_H_
