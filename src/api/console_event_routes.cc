#include "api/console_event_routes.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/sse_stream.h"
#include "http/query_reader.h"

namespace warden::api {
namespace {

namespace json = boost::json;

constexpr std::chrono::milliseconds kRetryHint{2000};

class ConsoleChangeFormat final : public SseFormat {
 public:
  std::vector<std::string> Opening(const exposure::ConfigFeed& feed,
                                   Environment env,
                                   std::optional<int64_t> resume_after,
                                   std::string_view run_id,
                                   int64_t* last_sent) const override {
    std::vector<std::string> frames{
        "retry: " + std::to_string(kRetryHint.count()) + "\n\n"};
    std::shared_ptr<const exposure::PublishedConfig> current =
        feed.Current(env);
    *last_sent = current->revision;
    if (resume_after && *resume_after < current->revision) {
      frames.push_back(Frame(*current, /*gap=*/true, run_id));
    }
    return frames;
  }

  // The serialised JSON has no newline, so one data line carries it.
  std::string Frame(const exposure::PublishedConfig& config, bool /*gap*/,
                    std::string_view run_id) const override {
    json::value change = nullptr;
    if (!config.change_json.empty()) {
      boost::system::error_code ec;
      change = json::parse(config.change_json, ec);
      if (ec) change = nullptr;
    }
    return "id: " + std::string(run_id) + "-" +
           std::to_string(config.revision) + "\nevent: change\ndata: " +
           json::serialize(
               json::object{{"environment", Name(config.environment)},
                            {"revision", config.revision},
                            {"change", std::move(change)}}) +
           "\n\n";
  }
};

class ConsoleEventHandler {
 public:
  explicit ConsoleEventHandler(const ConsoleEventServices& services)
      : services_(services),
        format_(std::make_shared<const ConsoleChangeFormat>()) {}

  Result<ApiResponse> Open(const ApiRequest& request) const {
    std::optional<Environment> environment;
    QueryReader query(request.query);
    query.Enum("environment", &environment, &ParseEnvironment,
               &AllowedEnvironments);
    WARDEN_RETURN_IF_ERROR(query.Finish());
    const Environment env = environment.value_or(Environment::kProduction);
    const std::string target = "environment/" + std::string(Name(env));
    WARDEN_RETURN_IF_ERROR(services_.auditor.Authorize(
        request.caller, Permission::kFlagRead, "events.open", target));
    WARDEN_ASSIGN_OR_RETURN(
        StreamRegistry::Reservation slot,
        services_.registry.Reserve(request.caller.principal.token_id));
    WARDEN_RETURN_IF_ERROR(services_.store.Write([&](Transaction& tx) {
      return services_.auditor.RecordInTransaction(tx, request.caller,
                                                   "events.open", target);
    }));
    ApiResponse response;
    response.content_type = "text/event-stream";
    response.stream = std::make_shared<SseStream>(
        services_.feed, env,
        ParseEventId(request.last_event_id, services_.registry.run_id()),
        std::move(slot), format_);
    return response;
  }

 private:
  const ConsoleEventServices services_;
  const std::shared_ptr<const ConsoleChangeFormat> format_;
};

}  // namespace

void AddConsoleEventRoutes(Router& router,
                           const ConsoleEventServices& services) {
  auto handler = std::make_shared<const ConsoleEventHandler>(services);
  router.Add({"GET", "/v1/events", RouteAccess::kAuthenticated,
              RouteCost::kBlocking, [handler](const ApiRequest& request) {
                return handler->Open(request);
              }});
}

}  // namespace warden::api
