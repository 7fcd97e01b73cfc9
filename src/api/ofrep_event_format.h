// OfrepRefetchFormat: the SSE payload of the OFREP eventStreams extension
// (OFREP 0.3.0 event-streams.yaml, ADR 0008). Every published revision of
// the environment becomes one notice telling providers to re-fetch their
// bulk evaluation:
//
//   id: RUN-7
//   event: message
//   data:
//   {"type":"refetchEvaluation","etag":"\"...\"","lastModified":1700000000}
//
// The id is the revision, as on GET /v1/stream, so Last-Event-ID resumes:
//   - no Last-Event-ID: nothing until the next change (the provider has just
//     done its bulk fetch);
//   - the current revision: nothing until the next change;
//   - anything older, or not an id of this run: one refetchEvaluation at
//     once (one re-fetch covers every missed change).
// The opening frame is a `retry:` hint for EventSource reconnects.
//
// "etag" is the ETag of the environment's published configuration (not of
// any one bulk answer: those depend on the evaluation context); providers
// send it back as `sseEtag`, which the bulk endpoint accepts as metadata.
// "lastModified" is when this server saw the revision published (unix
// seconds, from the injected Clock).
//
// Thread-safety: immutable; may be used from any thread.
#ifndef WARDEN_API_OFREP_EVENT_FORMAT_H_
#define WARDEN_API_OFREP_EVENT_FORMAT_H_

#include <chrono>

#include "api/sse_stream.h"
#include "core/clock.h"

namespace warden::api {

// How long EventSource waits before reconnecting after a drop.
inline constexpr std::chrono::milliseconds kOfrepEventRetryHint{3000};
// A Last-Event-ID that is present but not an event id of this run: older
// than every revision, so the client gets its one refetch notice.
inline constexpr int64_t kUnknownEventPosition = -1;

// The data line's JSON of one notice.
std::string RefetchEvaluationJson(const exposure::PublishedConfig& config,
                                  Timestamp published);

class OfrepRefetchFormat final : public SseFormat {
 public:
  // `clock` must outlive every stream using this format.
  explicit OfrepRefetchFormat(const Clock& clock) : clock_(clock) {}

  std::vector<std::string> Opening(const exposure::ConfigFeed& feed,
                                   Environment env,
                                   std::optional<int64_t> resume_after,
                                   std::string_view run_id,
                                   int64_t* last_sent) const override;
  std::string Frame(const exposure::PublishedConfig& config, bool gap,
                    std::string_view run_id) const override;

 private:
  const Clock& clock_;
};

}  // namespace warden::api

#endif  // WARDEN_API_OFREP_EVENT_FORMAT_H_
