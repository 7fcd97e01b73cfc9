// OFREP 0.3.0 (open-feature/protocol, service/openapi.yaml).
#include "api/ofrep_routes.h"

#include <algorithm>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <optional>

#include "core/crypto.h"

namespace warden::api {
namespace {

namespace json = boost::json;

using eval::ErrorCode;
using eval::EvaluationResult;

// Contexts nest a little (objects of attributes); deeper is not a context.
constexpr unsigned kMaxContextDepth = 16;
// The stack arena of one evaluation's context and answer; a larger context
// spills to the heap.
constexpr size_t kEvaluationArenaBytes = 2048;

// A request-level failure in OFREP's own error shape.
struct OfrepError {
  ErrorCode code = ErrorCode::kGeneral;
  std::string details;
};

json::object ErrorObject(std::string_view key, ErrorCode code,
                         std::string_view details) {
  json::object out;
  if (!key.empty()) out["key"] = key;
  out["errorCode"] = eval::ErrorCodeName(code);
  out["errorDetails"] = details;
  return out;
}

ApiResponse ErrorResponse(std::string_view key, const OfrepError& error) {
  const int status = error.code == ErrorCode::kFlagNotFound ? 404 : 400;
  return JsonResponse(ErrorObject(key, error.code, error.details), status);
}

// `storage`: where the answer's tree lives (the request's arena).
json::object SuccessObject(std::string_view key, const EvaluationResult& r,
                           json::storage_ptr storage = {}) {
  json::object out({{"key", key}, {"reason", eval::ReasonName(r.reason)}},
                   storage);
  if (r.value != nullptr) {
    out["value"] = *r.value;
    out["variant"] = r.variant;
  }
  json::object metadata =
      r.metadata ? json::object(*r.metadata, storage) : json::object(storage);
  if (!r.limit_id.empty()) metadata["limitId"] = r.limit_id;
  if (!r.release_id.empty()) {
    metadata["releaseId"] = r.release_id;
    metadata["releaseStage"] = r.release_stage;
  }
  if (!r.gate_requirement.empty()) {
    metadata["gateRequires"] = r.gate_requirement;
  }
  if (!r.gate_approval_id.empty()) metadata["approvalId"] = r.gate_approval_id;
  out["metadata"] = std::move(metadata);
  return out;
}

json::object ResultObject(std::string_view key, const EvaluationResult& r) {
  if (r.ok()) return SuccessObject(key, r);
  return ErrorObject(key, r.error_code, r.error_message);
}

// REQUIRES: *ctx is empty. The parsed tree lives in ctx's storage.
std::optional<OfrepError> ParseBody(std::string_view body, json::object* ctx) {
  if (body.size() > kMaxOfrepBodyBytes) {
    return OfrepError{ErrorCode::kParseError,
                      "request body exceeds " +
                          std::to_string(kMaxOfrepBodyBytes) + " bytes"};
  }
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return std::nullopt;  // no body: empty context
  }
  json::parse_options options;
  options.max_depth = kMaxContextDepth;
  boost::system::error_code ec;
  json::value value = json::parse(body, ec, ctx->storage(), options);
  if (ec) {
    return OfrepError{ErrorCode::kParseError,
                      "request body is not valid JSON: " + ec.message()};
  }
  if (!value.is_object()) {
    return OfrepError{ErrorCode::kParseError, "request body must be an object"};
  }
  json::value* context = value.as_object().if_contains("context");
  if (context == nullptr || context->is_null()) return std::nullopt;
  if (!context->is_object()) {
    return OfrepError{ErrorCode::kInvalidContext, "context must be an object"};
  }
  *ctx = std::move(context->as_object());  // same storage: no copy
  return std::nullopt;
}

// {"context": {...}} -> EvaluationContext. A tenant-bound token overrides
// the targeting key (the tenant claimed in the context is ignored), and its
// tenant's stored attributes win over claimed ones of the same name.
// The attributes live in ctx->attributes' storage.
std::optional<OfrepError> ParseContext(const ApiRequest& request,
                                       const EvaluationCaller& caller,
                                       eval::EvaluationContext* ctx) {
  json::object attributes(ctx->attributes.storage());
  if (auto error = ParseBody(request.body, &attributes)) return error;
  if (const json::value* key = attributes.if_contains("targetingKey")) {
    if (!key->is_string()) {
      return OfrepError{ErrorCode::kInvalidContext,
                        "context.targetingKey must be a string"};
    }
    ctx->targeting_key = key->as_string();
    attributes.erase("targetingKey");
  }
  if (!caller.principal.tenant.empty()) {
    ctx->targeting_key = caller.principal.tenant;
    ctx->stored_attributes_first = true;
  }
  ctx->attributes = std::move(attributes);
  return std::nullopt;
}

// sseEtag / sseLastModified: what a refetchEvaluation event carried, echoed
// back by providers. Metadata only, but still untrusted input: bounded, and
// of the shape this server sends (a visible-ASCII ETag, unix seconds).
std::optional<OfrepError> CheckSseQuery(const ApiRequest& request) {
  for (const auto& [name, value] : request.query) {
    const bool etag = name == "sseEtag";
    if (!etag && name != "sseLastModified") continue;
    bool shaped = !value.empty() && value.size() <= kMaxSseQueryValueBytes;
    for (char c : value) {
      shaped =
          shaped && (etag ? (c > ' ' && c <= '~') : (c >= '0' && c <= '9'));
    }
    if (!shaped) {
      return OfrepError{
          ErrorCode::kGeneral,
          "query parameter " + name + " must be " +
              (etag ? "an ETag" : "unix seconds") + " of at most " +
              std::to_string(kMaxSseQueryValueBytes) + " characters"};
    }
  }
  return std::nullopt;
}

// 429 with Retry-After; OFREP defines no body for it.
ApiResponse RateLimitedResponse(std::chrono::seconds retry_after) {
  ApiResponse response;
  response.status = 429;
  response.content_type.clear();
  response.headers.emplace_back("Retry-After",
                                std::to_string(retry_after.count()));
  return response;
}

class OfrepHandlers {
 public:
  explicit OfrepHandlers(const OfrepServices& services) : services_(services) {}

  Result<ApiResponse> EvaluateOne(const ApiRequest& request) {
    const std::string& key = request.path_params.find("key")->second;
    WARDEN_ASSIGN_OR_RETURN(EvaluationCaller caller,
                            services_.authenticator.Authenticate(request));
    if (auto limited = RateLimited(caller)) return *limited;
    // The context and the answer are JSON trees of a few hundred bytes:
    // built in an arena on the stack, they cost no allocation.
    unsigned char arena[kEvaluationArenaBytes];
    json::monotonic_resource arena_resource(arena, sizeof arena);
    const json::storage_ptr storage(&arena_resource);
    eval::EvaluationContext ctx{.targeting_key = {},
                                .attributes = json::object(storage)};
    ctx.now = services_.clock.Now();
    if (auto error = ParseContext(request, caller, &ctx)) {
      return ErrorResponse(key, *error);
    }
    std::shared_ptr<const exposure::PublishedConfig> config =
        services_.feed.Current(caller.environment);
    EvaluationResult result = config->snapshot->Evaluate(key, ctx);
    if (result.error_code == ErrorCode::kFlagNotFound) {
      return ErrorResponse(key, {result.error_code, result.error_message});
    }
    services_.evaluations.RecordEvaluation(caller.environment, key);
    if (!result.ok()) {
      return ErrorResponse(key, {result.error_code, result.error_message});
    }
    return JsonResponse(SuccessObject(key, result, storage));
  }

  Result<ApiResponse> EvaluateAll(const ApiRequest& request) {
    WARDEN_ASSIGN_OR_RETURN(EvaluationCaller caller,
                            services_.authenticator.Authenticate(request));
    if (auto limited = RateLimited(caller)) return *limited;
    if (auto error = CheckSseQuery(request)) return ErrorResponse("", *error);
    eval::EvaluationContext ctx;
    ctx.now = services_.clock.Now();
    if (auto error = ParseContext(request, caller, &ctx)) {
      return ErrorResponse("", *error);
    }
    std::shared_ptr<const exposure::PublishedConfig> config =
        services_.feed.Current(caller.environment);
    json::array flags;
    std::vector<std::string_view> keys;
    config->snapshot->EvaluateAll(
        ctx, [&](std::string_view key, const EvaluationResult& result) {
          flags.push_back(ResultObject(key, result));
          keys.push_back(key);
        });
    services_.evaluations.RecordEvaluations(caller.environment, keys);
    return BulkResponse(request, json::object{{"flags", std::move(flags)}},
                        EventStreamsJson(caller), TicketEpoch());
  }

 private:
  std::optional<ApiResponse> RateLimited(const EvaluationCaller& caller) {
    if (services_.limiter == nullptr) return std::nullopt;
    std::chrono::seconds wait = services_.limiter->Acquire(
        caller.principal.token_id, services_.clock.Now());
    if (wait.count() == 0) return std::nullopt;
    return RateLimitedResponse(wait);
  }

  // The eventStreams member's JSON array, "" when streams are off. The URL
  // carries a fresh ticket, never the caller's API token. Expiry is in
  // whole seconds and rounds up, so a ticket lives at least its TTL (not
  // TTL minus the fraction of the second it was minted in).
  std::string EventStreamsJson(const EvaluationCaller& caller) const {
    if (services_.event_tickets == nullptr) return {};
    OfrepEventTicket ticket{caller.principal.token_id, caller.environment,
                            caller.principal.tenant,
                            ToUnixSeconds(services_.clock.Now()) + 1 +
                                services_.event_ticket_ttl.count()};
    json::object stream{{"type", "sse"},
                        {"url", "/ofrep/v1/events?ticket=" +
                                    services_.event_tickets->Mint(ticket)},
                        {"inactivityDelaySec", kOfrepInactivityDelay.count()}};
    return json::serialize(json::array{std::move(stream)});
  }

  // Which tickets a revalidated answer may keep: the signing key (a
  // restart makes new ones) and the half-lifetime period, so a client that
  // polls with If-None-Match gets a 200 with a fresh ticket while its old
  // one has at least half its lifetime left. "" when streams are off.
  std::string TicketEpoch() const {
    if (services_.event_tickets == nullptr) return {};
    const int64_t half_life =
        std::max<int64_t>(1, services_.event_ticket_ttl.count() / 2);
    return services_.event_tickets->KeyId() + "/" +
           std::to_string(ToUnixSeconds(services_.clock.Now()) / half_life);
  }

  // The ETag names this exact answer (configuration and context alike) and
  // the ticket epoch. It covers the flags, not the ticket text:
  // `event_streams` (a fresh ticket each time) is spliced in afterwards so
  // identical answers in one epoch keep one ETag.
  static ApiResponse BulkResponse(const ApiRequest& request,
                                  const json::object& body,
                                  std::string_view event_streams,
                                  std::string_view ticket_epoch) {
    ApiResponse response;
    response.body = json::serialize(body);
    const std::string etag =
        "\"" +
        Sha256Hex(response.body + std::string(ticket_epoch)).substr(0, 32) +
        "\"";
    if (!request.if_none_match.empty() && request.if_none_match == etag) {
      response.status = 304;
      response.body.clear();
      response.content_type.clear();
    } else if (!event_streams.empty()) {
      response.body.pop_back();  // the closing '}' of the object
      response.body += ",\"eventStreams\":";
      response.body += event_streams;
      response.body += '}';
    }
    response.headers.emplace_back("ETag", etag);
    return response;
  }

  const OfrepServices services_;
};

}  // namespace

void AddOfrepRoutes(Router& router, const OfrepServices& services) {
  auto handlers = std::make_shared<OfrepHandlers>(services);
  // Authentication happens in the handlers (cached, inline), hence kPublic;
  // a cache miss moves the request to the worker pool (kInlineFirst).
  router.Add({"POST", "/ofrep/v1/evaluate/flags/{key}", RouteAccess::kPublic,
              RouteCost::kInlineFirst, [handlers](const ApiRequest& request) {
                return handlers->EvaluateOne(request);
              }});
  router.Add({"POST", "/ofrep/v1/evaluate/flags", RouteAccess::kPublic,
              RouteCost::kInlineFirst, [handlers](const ApiRequest& request) {
                return handlers->EvaluateAll(request);
              }});
}

}  // namespace warden::api
