#include "api/access_policy_routes.h"

#include <boost/json/serialize.hpp>
#include <charconv>

#include "api/route_glue.h"
#include "http/json_reader.h"
#include "policy/policy_compiler.h"

namespace warden::api {
namespace {

using access::AccessPolicyService;
using access::PolicyVersion;

Result<int64_t> PathVersion(const ApiRequest& request) {
  const std::string& text = PathParam(request, "version");
  int64_t version = 0;
  auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), version);
  if (error != std::errc() || end != text.data() + text.size() || version < 1) {
    return NotFound("policy version \"" + text.substr(0, 32) +
                    "\" does not exist");
  }
  return version;
}

Result<ApiResponse> GetActive(AccessPolicyService& policies,
                              const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(Environment env, PathEnvironment(request));
  WARDEN_ASSIGN_OR_RETURN(PolicyVersion version,
                          policies.Get(request.caller, env, 0));
  return JsonResponse(access::ToJson(version, true));
}

Result<ApiResponse> GetVersion(AccessPolicyService& policies,
                               const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(Environment env, PathEnvironment(request));
  WARDEN_ASSIGN_OR_RETURN(int64_t number, PathVersion(request));
  WARDEN_ASSIGN_OR_RETURN(PolicyVersion version,
                          policies.Get(request.caller, env, number));
  return JsonResponse(access::ToJson(version, true));
}

Result<ApiResponse> ListVersions(AccessPolicyService& policies,
                                 const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(Environment env, PathEnvironment(request));
  WARDEN_ASSIGN_OR_RETURN(std::vector<PolicyVersion> versions,
                          policies.List(request.caller, env));
  return ItemsResponse(versions, [](const PolicyVersion& v) {
    return access::ToJson(v, false);
  });
}

Result<ApiResponse> Propose(AccessPolicyService& policies,
                            const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(Environment env, PathEnvironment(request));
  // The policy is nested deeper than request bodies may be in general
  // (kMaxJsonDepth): it is parsed under the policy's own bounds.
  WARDEN_ASSIGN_OR_RETURN(boost::json::value body,
                          policy::ParsePolicyJson(request.body, "the body"));
  const boost::json::object* object = body.if_object();
  const boost::json::value* document =
      object ? object->if_contains("policy") : nullptr;
  const boost::json::value* reason =
      object ? object->if_contains("reason") : nullptr;
  if (document == nullptr || !document->is_object()) {
    return InvalidArgument("policy: is required (the policy document)",
                           "missing-field");
  }
  for (const auto& member : *object) {
    if (member.key() != "policy" && member.key() != "reason") {
      return InvalidArgument(std::string(member.key()) + ": unknown field",
                             "unknown-field");
    }
  }
  access::PolicyProposal proposal;
  proposal.environment = env;
  proposal.document = boost::json::serialize(*document);
  if (reason != nullptr && reason->is_string()) {
    proposal.reason = std::string(reason->get_string());
  }
  WARDEN_ASSIGN_OR_RETURN(
      PolicyVersion stored,
      policies.Propose(request.caller, std::move(proposal)));
  return JsonResponse(access::ToJson(stored, false),
                      stored.state == access::kPolicyActive ? 201 : 202);
}

}  // namespace

void AddAccessPolicyRoutes(Router& router, AccessPolicyService& policies) {
  router.Add({"GET", "/v1/access/policies/{environment}",
              RouteAccess::kAuthenticated, RouteCost::kBlocking,
              Bind(policies, &GetActive)});
  router.Add({"GET", "/v1/access/policies/{environment}/versions",
              RouteAccess::kAuthenticated, RouteCost::kBlocking,
              Bind(policies, &ListVersions)});
  router.Add({"POST", "/v1/access/policies/{environment}/versions",
              RouteAccess::kAuthenticated, RouteCost::kBlocking,
              Bind(policies, &Propose)});
  router.Add({"GET", "/v1/access/policies/{environment}/versions/{version}",
              RouteAccess::kAuthenticated, RouteCost::kBlocking,
              Bind(policies, &GetVersion)});
}

}  // namespace warden::api
