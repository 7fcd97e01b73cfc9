// HandlerGate: holds one request inside the server (between its worker
// pickup and its handler) while a test acts, e.g. stops the server with the
// request in flight. Wire Pass() into ServerOptions::before_handler_for_test.
#ifndef WARDEN_TESTS_INTEGRATION_HANDLER_GATE_H_
#define WARDEN_TESTS_INTEGRATION_HANDLER_GATE_H_

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace warden::testing_http {

struct HandlerGate {
  std::mutex mu;
  std::condition_variable cv;
  bool armed = false;
  bool entered = false;
  bool open = false;

  // Worker side: the first request after Arm() signals and waits (at most
  // 20 s) for Open().
  void Pass() {
    std::unique_lock<std::mutex> lock(mu);
    if (!armed || entered) return;
    entered = true;
    cv.notify_all();
    cv.wait_for(lock, std::chrono::seconds(20), [this] { return open; });
  }
  bool WaitEntered() {
    std::unique_lock<std::mutex> lock(mu);
    return cv.wait_for(lock, std::chrono::seconds(20),
                       [this] { return entered; });
  }
  void Arm() {
    std::lock_guard<std::mutex> lock(mu);
    armed = true;
  }
  void Open() {
    std::lock_guard<std::mutex> lock(mu);
    open = true;
    cv.notify_all();
  }
};

}  // namespace warden::testing_http

#endif  // WARDEN_TESTS_INTEGRATION_HANDLER_GATE_H_
