#include "api/ofrep_event_routes.h"

#include "api/sse_stream.h"

namespace warden::api {
namespace {

// The route without its query string: the ticket is a credential.
std::string RouteOf(const ApiRequest& request) {
  return request.target.substr(0, request.target.find('?'));
}

class OfrepEventHandler {
 public:
  explicit OfrepEventHandler(const OfrepEventServices& services)
      : services_(services),
        format_(std::make_shared<const OfrepRefetchFormat>(services.clock)) {}

  Result<ApiResponse> Open(const ApiRequest& request) {
    WARDEN_ASSIGN_OR_RETURN(EvaluationCaller caller, Authenticate(request));
    WARDEN_ASSIGN_OR_RETURN(
        StreamRegistry::Reservation slot,
        services_.registry.Reserve(caller.principal.token_id));
    ApiResponse response;
    response.content_type = "text/event-stream";
    response.stream = std::make_shared<SseStream>(
        services_.feed, caller.environment, ResumePosition(request),
        std::move(slot), format_);
    return response;
  }

 private:
  Result<EvaluationCaller> Authenticate(const ApiRequest& request) {
    const std::optional<std::string_view> ticket =
        QueryParameter(request, "ticket");
    if (!ticket) return services_.authenticator.Authenticate(request);
    // Tickets share the per-source failure budget of API keys.
    WARDEN_RETURN_IF_ERROR(
        services_.authenticator.AdmitAttempt("ofrep.stream", request));
    Result<EvaluationCaller> caller = AuthenticateTicket(request, *ticket);
    if (caller.status().code() == StatusCode::kUnauthenticated) {
      services_.authenticator.NoteFailure(request);
    }
    return caller;
  }

  Result<EvaluationCaller> AuthenticateTicket(const ApiRequest& request,
                                              std::string_view text) {
    Result<OfrepEventTicket> ticket =
        services_.tickets.Verify(text, services_.clock.Now());
    if (!ticket.ok()) {
      WARDEN_RETURN_IF_ERROR(services_.auditor.AuthenticationFailed(
          request.remote, ticket.status().message(), request.request_id));
      return ticket.status();
    }
    WARDEN_ASSIGN_OR_RETURN(
        Principal principal,
        services_.access.AuthenticateTokenId(ticket->token_id, request.remote,
                                             request.request_id));
    EvaluationCaller caller{std::move(principal), ticket->environment};
    const Status allowed = CheckTicketUse(caller.principal, *ticket, request);
    if (!allowed.ok()) {
      // An authenticated principal was refused: audited like any denial.
      return services_.auditor.Failed(
          Caller{caller.principal, request.request_id, request.remote},
          "ofrep.stream", "flags", allowed, {{"credential", "ticket"}});
    }
    WARDEN_RETURN_IF_ERROR(AuditOpen(caller, request));
    return caller;
  }

  // The binding still holds and an explicitly asked environment is the
  // ticket's.
  static Status CheckTicketUse(const Principal& principal,
                               const OfrepEventTicket& ticket,
                               const ApiRequest& request) {
    WARDEN_RETURN_IF_ERROR(CheckBinding(principal, ticket));
    WARDEN_ASSIGN_OR_RETURN(Environment env,
                            EvaluationEnvironment(principal, request));
    const std::string_view asked =
        QueryParameter(request, "environment").value_or("");
    if (!asked.empty() && env != ticket.environment) {
      return PermissionDenied("the ticket is for environment " +
                              std::string(Name(ticket.environment)));
    }
    return Status::Ok();
  }

  // The token must still be what it was when the ticket was minted (token
  // bindings are immutable today; this keeps a ticket from outliving a
  // change if they ever become mutable).
  static Status CheckBinding(const Principal& principal,
                             const OfrepEventTicket& ticket) {
    if (principal.role != Role::kSdk && principal.role != Role::kAdmin) {
      return PermissionDenied("role " + std::string(Name(principal.role)) +
                              " may not evaluate flags");
    }
    const bool env_ok = principal.role == Role::kAdmin ||
                        principal.environment == ticket.environment;
    if (!env_ok || principal.tenant != ticket.tenant) {
      return Unauthenticated(
          "event-stream ticket no longer matches its API token");
    }
    return Status::Ok();
  }

  Status AuditOpen(const EvaluationCaller& caller, const ApiRequest& request) {
    Caller who{caller.principal, request.request_id, request.remote};
    boost::json::object details{{"route", RouteOf(request)},
                                {"credential", "ticket"},
                                {"environment", Name(caller.environment)}};
    const Status status = services_.store.Write([&](Transaction& tx) {
      return services_.auditor.RecordInTransaction(tx, who, "ofrep.stream",
                                                   "flags", details);
    });
    if (status.ok()) return status;
    return Unavailable("audit log unavailable: " + status.message());
  }

  // No header: nullopt. An id of this run: its revision. Anything else:
  // older than every revision (one refetch notice at once).
  std::optional<int64_t> ResumePosition(const ApiRequest& request) const {
    if (request.last_event_id.empty()) return std::nullopt;
    return ParseEventId(request.last_event_id, services_.registry.run_id())
        .value_or(kUnknownEventPosition);
  }

  const OfrepEventServices services_;
  const std::shared_ptr<const OfrepRefetchFormat> format_;
};

}  // namespace

void AddOfrepEventRoutes(Router& router, const OfrepEventServices& services) {
  auto handler = std::make_shared<OfrepEventHandler>(services);
  // Authentication happens in the handler (ticket or API token). Blocking:
  // a ticket connect reads the token and writes an audit record.
  router.Add({"GET", kOfrepEventsPath, RouteAccess::kPublic,
              RouteCost::kBlocking, [handler](const ApiRequest& request) {
                return handler->Open(request);
              }});
}

}  // namespace warden::api
