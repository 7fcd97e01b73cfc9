#include "policy/authzen_request.h"

#include <algorithm>

namespace warden::policy {
namespace {

Status Bad(std::string message) {
  return InvalidArgument(std::move(message), "validation-failed");
}

// The optional "properties" object of a subject, resource or action.
Status Properties(const boost::json::object& part, std::string_view where,
                  const boost::json::object** out) {
  const boost::json::value* properties = part.if_contains("properties");
  if (properties == nullptr || properties->is_null()) return Status::Ok();
  if (!properties->is_object()) {
    return Bad(std::string(where) + ".properties must be an object");
  }
  *out = &properties->get_object();
  return Status::Ok();
}

Status StringMember(const boost::json::object& part, std::string_view key,
                    std::string_view where, bool required,
                    std::string_view* out) {
  const boost::json::value* v = part.if_contains(key);
  std::string at = std::string(where) + "." + std::string(key);
  if (v == nullptr || v->is_null()) {
    return required ? Bad(at + " is required") : Status::Ok();
  }
  if (!v->is_string()) return Bad(at + " must be a string");
  if (required && v->get_string().empty()) return Bad(at + " is empty");
  *out = v->get_string();
  return Status::Ok();
}

Result<const boost::json::object*> Part(const boost::json::value* v,
                                        std::string_view name, bool required) {
  if (v == nullptr || v->is_null()) {
    if (required) return Bad(std::string(name) + " is required");
    return static_cast<const boost::json::object*>(nullptr);
  }
  if (!v->is_object()) return Bad(std::string(name) + " must be an object");
  return &v->get_object();
}

// `id_required` false: a searched part (its id is ignored).
Status Entity(const boost::json::value* v, std::string_view name,
              bool id_required, EntityRef* out) {
  WARDEN_ASSIGN_OR_RETURN(const boost::json::object* part, Part(v, name, true));
  WARDEN_RETURN_IF_ERROR(StringMember(*part, "type", name, true, &out->type));
  if (id_required) {
    WARDEN_RETURN_IF_ERROR(StringMember(*part, "id", name, true, &out->id));
  }
  return Properties(*part, name, &out->properties);
}

Status Action(const boost::json::value* v, AccessRequest* out) {
  WARDEN_ASSIGN_OR_RETURN(const boost::json::object* part,
                          Part(v, "action", true));
  WARDEN_RETURN_IF_ERROR(
      StringMember(*part, "name", "action", true, &out->action));
  return Properties(*part, "action", &out->action_properties);
}

Status Context(const boost::json::value* v, AccessRequest* out) {
  WARDEN_ASSIGN_OR_RETURN(out->context, Part(v, "context", false));
  return Status::Ok();
}

// The member `key` of `item`, else of `defaults`.
const boost::json::value* Either(const boost::json::object& item,
                                 const boost::json::object& defaults,
                                 std::string_view key) {
  const boost::json::value* v = item.if_contains(key);
  return v != nullptr ? v : defaults.if_contains(key);
}

Status OneOfBatch(const boost::json::object& item,
                  const boost::json::object& defaults, AccessRequest* out) {
  WARDEN_RETURN_IF_ERROR(Entity(Either(item, defaults, "subject"), "subject",
                                true, &out->subject));
  WARDEN_RETURN_IF_ERROR(Action(Either(item, defaults, "action"), out));
  WARDEN_RETURN_IF_ERROR(Entity(Either(item, defaults, "resource"), "resource",
                                true, &out->resource));
  return Context(Either(item, defaults, "context"), out);
}

Result<EvaluationsSemantic> Semantic(const boost::json::object& body) {
  const boost::json::value* options = body.if_contains("options");
  if (options == nullptr || options->is_null()) {
    return EvaluationsSemantic::kExecuteAll;
  }
  if (!options->is_object()) return Bad("options must be an object");
  const boost::json::value* name =
      options->get_object().if_contains("evaluations_semantic");
  if (name == nullptr || name->is_null()) {
    return EvaluationsSemantic::kExecuteAll;
  }
  if (name->is_string()) {
    std::string_view s = name->get_string();
    if (s == "execute_all") return EvaluationsSemantic::kExecuteAll;
    if (s == "deny_on_first_deny") return EvaluationsSemantic::kDenyOnFirstDeny;
    if (s == "permit_on_first_permit") {
      return EvaluationsSemantic::kPermitOnFirstPermit;
    }
  }
  return Bad(
      "options.evaluations_semantic must be execute_all, deny_on_first_deny "
      "or permit_on_first_permit");
}

Status Page(const boost::json::object& body, SearchRequest* out) {
  WARDEN_ASSIGN_OR_RETURN(const boost::json::object* page,
                          Part(body.if_contains("page"), "page", false));
  if (page == nullptr) return Status::Ok();
  std::string_view token;
  WARDEN_RETURN_IF_ERROR(StringMember(*page, "token", "page", false, &token));
  if (token.empty()) {
    WARDEN_RETURN_IF_ERROR(
        StringMember(*page, "next_token", "page", false, &token));
  }
  out->page_token = std::string(token);
  const boost::json::value* limit = page->if_contains("limit");
  if (limit == nullptr || limit->is_null()) return Status::Ok();
  if (!limit->is_int64() && !limit->is_uint64()) {
    return Bad("page.limit must be a non-negative integer");
  }
  int64_t n = limit->is_int64() ? limit->get_int64() : kMaxSearchLimit + 1;
  if (n < 0) return Bad("page.limit must be a non-negative integer");
  // 0 asks for nothing in particular: the default page.
  out->limit = n == 0 ? kDefaultSearchLimit : std::min(n, kMaxSearchLimit);
  return Status::Ok();
}

}  // namespace

Status ParseEvaluation(const boost::json::object& body, AccessRequest* out) {
  return OneOfBatch(body, body, out);
}

Result<EvaluationsRequest> ParseEvaluations(const boost::json::object& body) {
  EvaluationsRequest out;
  WARDEN_ASSIGN_OR_RETURN(out.semantic, Semantic(body));
  const boost::json::value* evaluations = body.if_contains("evaluations");
  if (evaluations != nullptr && !evaluations->is_null() &&
      !evaluations->is_array()) {
    return Bad("evaluations must be an array");
  }
  if (evaluations == nullptr || evaluations->is_null() ||
      evaluations->get_array().empty()) {
    out.single = true;
    out.items.emplace_back();
    WARDEN_RETURN_IF_ERROR(ParseEvaluation(body, &out.items[0].request));
    return out;
  }
  const boost::json::array& list = evaluations->get_array();
  if (list.size() > kMaxBatchEvaluations) {
    return Bad("evaluations has more than " +
               std::to_string(kMaxBatchEvaluations) + " items");
  }
  out.items.resize(list.size());
  for (size_t i = 0; i < list.size(); ++i) {
    BatchItem& item = out.items[i];
    if (!list[i].is_object()) {
      item.error =
          Bad("evaluations[" + std::to_string(i) + "] must be an object");
      continue;
    }
    item.error = OneOfBatch(list[i].get_object(), body, &item.request);
  }
  return out;
}

Result<SearchRequest> ParseSearch(SearchKind kind,
                                  const boost::json::object& body) {
  SearchRequest out;
  out.kind = kind;
  AccessRequest& r = out.request;
  WARDEN_RETURN_IF_ERROR(Entity(body.if_contains("subject"), "subject",
                                kind != SearchKind::kSubject, &r.subject));
  WARDEN_RETURN_IF_ERROR(Entity(body.if_contains("resource"), "resource",
                                kind != SearchKind::kResource, &r.resource));
  if (kind != SearchKind::kAction) {
    WARDEN_RETURN_IF_ERROR(Action(body.if_contains("action"), &r));
  }
  WARDEN_RETURN_IF_ERROR(Context(body.if_contains("context"), &r));
  WARDEN_RETURN_IF_ERROR(Page(body, &out));
  return out;
}

}  // namespace warden::policy
