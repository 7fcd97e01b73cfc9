// Server-Sent Events (WHATWG HTML 9.2) carrying OFREP refetchEvaluation
// notices (OFREP 0.3.0 event-streams.yaml).
#include "api/ofrep_event_format.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace warden::api {

std::string RefetchEvaluationJson(const exposure::PublishedConfig& config,
                                  Timestamp published) {
  return boost::json::serialize(
      boost::json::object{{"type", "refetchEvaluation"},
                          {"etag", config.etag},
                          {"lastModified", ToUnixSeconds(published)}});
}

std::vector<std::string> OfrepRefetchFormat::Opening(
    const exposure::ConfigFeed& feed, Environment env,
    std::optional<int64_t> resume_after, std::string_view run_id,
    int64_t* last_sent) const {
  std::vector<std::string> frames{
      "retry: " + std::to_string(kOfrepEventRetryHint.count()) + "\n\n"};
  std::shared_ptr<const exposure::PublishedConfig> current = feed.Current(env);
  *last_sent = current->revision;
  if (resume_after && *resume_after < current->revision) {
    frames.push_back(Frame(*current, /*gap=*/true, run_id));
  }
  return frames;
}

// The serialised JSON has no newline, so one data line carries it.
std::string OfrepRefetchFormat::Frame(const exposure::PublishedConfig& config,
                                      bool /*gap*/,
                                      std::string_view run_id) const {
  return "id: " + std::string(run_id) + "-" + std::to_string(config.revision) +
         "\nevent: message\ndata: " +
         RefetchEvaluationJson(config, clock_.Now()) + "\n\n";
}

}  // namespace warden::api
