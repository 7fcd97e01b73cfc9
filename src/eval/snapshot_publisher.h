// SnapshotPublisher: the current Snapshot of one environment, replaced
// atomically. Writers build a new snapshot off to the side and Publish it;
// readers take Current() and evaluate against it for as long as they hold
// it. No mutex: std::atomic<std::shared_ptr> (libstdc++ guards the
// reference count with a short internal spin, never a blocking lock).
//
// Thread-safety: all methods may be called from any thread.
#ifndef WARDEN_EVAL_SNAPSHOT_PUBLISHER_H_
#define WARDEN_EVAL_SNAPSHOT_PUBLISHER_H_

#include <atomic>
#include <memory>
#include <utility>

#include "eval/snapshot.h"

namespace warden::eval {

class SnapshotPublisher {
 public:
  // REQUIRES: initial != nullptr.
  explicit SnapshotPublisher(std::shared_ptr<const Snapshot> initial)
      : current_(std::move(initial)) {}

  std::shared_ptr<const Snapshot> Current() const {
    return current_.load(std::memory_order_acquire);
  }

  // REQUIRES: snapshot != nullptr. Readers holding the old snapshot keep it
  // alive until they drop it.
  void Publish(std::shared_ptr<const Snapshot> snapshot) {
    current_.store(std::move(snapshot), std::memory_order_release);
  }

 private:
  std::atomic<std::shared_ptr<const Snapshot>> current_;
};

}  // namespace warden::eval

#endif  // WARDEN_EVAL_SNAPSHOT_PUBLISHER_H_
