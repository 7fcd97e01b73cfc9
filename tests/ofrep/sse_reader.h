// A blocking Server-Sent Events reader over a plain loopback socket, for
// tests: sends one GET, checks the response header, then returns events.
// Every read has a timeout so a missing event fails the test, not hangs it.
#ifndef WARDEN_TESTS_OFREP_SSE_READER_H_
#define WARDEN_TESTS_OFREP_SSE_READER_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace warden::testing_http {

struct SseEvent {
  std::string id;
  std::string event;
  std::string data;
};

class SseReader {
 public:
  // Connects and sends the request; `last_event_id` empty: no header.
  // `token` goes in X-API-Key, or as is in Authorization when it starts
  // with "Bearer ".
  // `receive_buffer` > 0 shrinks SO_RCVBUF (a slow consumer).
  SseReader(uint16_t port, const std::string& target, const std::string& token,
            const std::string& last_event_id = {},
            std::chrono::seconds timeout = std::chrono::seconds(10),
            int receive_buffer = 0);
  ~SseReader();
  SseReader(const SseReader&) = delete;
  SseReader& operator=(const SseReader&) = delete;

  int status() const { return status_; }  // 0: no response
  const std::string& header() const { return header_; }
  // The next event (comments skipped); nullopt on timeout or close.
  std::optional<SseEvent> Next();
  // True when a comment line ": <text>" arrives before the timeout
  // (events before it are dropped).
  bool WaitForComment(const std::string& text);
  // True when the server closed the connection within the timeout.
  bool WaitClosed();

 private:
  bool Fill();  // reads more into buffer_; false on timeout/close

  int fd_ = -1;
  int status_ = 0;
  std::string header_;
  std::string buffer_;
};

}  // namespace warden::testing_http

#endif  // WARDEN_TESTS_OFREP_SSE_READER_H_
