#include "audit/audit_checkpointer.h"

#include <algorithm>
#include <cstdio>

#include "core/private_file.h"

namespace warden {

AuditCheckpointer::AuditCheckpointer(
    std::string path, AuditCheckpointSigner signer, const Clock& clock,
    std::unique_ptr<WitnessPublisher> witnesses, int max_lag_batches)
    : path_(std::move(path)),
      signer_(std::move(signer)),
      clock_(clock),
      witnesses_(std::move(witnesses)),
      max_lag_batches_(static_cast<size_t>(
          std::clamp(max_lag_batches, 0, kMaxCheckpointMaxLagBatches))) {
  thread_ = std::thread([this] { Run(); });
}

AuditCheckpointer::~AuditCheckpointer() { Stop(); }

Status AuditCheckpointer::RecordNow(const AuditHead& head) {
  {
    MutexLock lock(mu_);
    while (pending_ || writing_) processed_.Wait(mu_);
    // Already written by the thread (the commit reported it): keep one
    // checkpoint per head, which is what witnesses expect.
    if (recorded_sequence_.load() == head.sequence && head.sequence > 0) {
      return Status::Ok();
    }
    writing_ = true;
  }
  Status status = Record(head);
  {
    MutexLock lock(mu_);
    writing_ = false;
    processed_sequence_ = std::max(processed_sequence_, head.sequence);
  }
  processed_.NotifyAll();
  return status;
}

// Before commit k: heads h(k-1), h(k-2), ... were reported; with a bound of
// N batches, h(k-N) must be covered so that after this commit at most the
// batches k-N+1 .. k are missing from the checkpoint.
void AuditCheckpointer::AwaitRecorded() {
  if (max_lag_batches_ == 0) return;
  MutexLock lock(mu_);
  if (committed_.size() < max_lag_batches_) return;
  const int64_t required = committed_.front();
  const auto deadline = std::chrono::steady_clock::now() + kMaxCheckpointWait;
  while (processed_sequence_ < required) {
    if (!processed_.WaitUntil(mu_, deadline)) break;
  }
  if (processed_sequence_ < required) {
    std::fprintf(stderr,
                 "audit checkpoint: sequence %lld still not written after "
                 "%llds; committing without waiting\n",
                 static_cast<long long>(required),
                 static_cast<long long>(kMaxCheckpointWait.count()));
  }
}

void AuditCheckpointer::OnCommitted(const AuditHead& head) {
  {
    MutexLock lock(mu_);
    if (stopping_) return;
    pending_ = head;  // a newer head replaces one not yet started
    committed_.push_back(head.sequence);
    while (committed_.size() > max_lag_batches_) committed_.pop_front();
  }
  wake_.NotifyOne();
}

void AuditCheckpointer::Stop() {
  MutexLock stop_lock(stop_mu_);
  {
    MutexLock lock(mu_);
    stopping_ = true;
  }
  wake_.NotifyOne();
  if (thread_.joinable()) thread_.join();
  if (witnesses_) witnesses_->Stop();
}

void AuditCheckpointer::Run() {
  while (true) {
    AuditHead head;
    {
      MutexLock lock(mu_);
      while (!pending_ && !stopping_) wake_.Wait(mu_);
      if (!pending_) return;  // stopping, nothing left to write
      head = std::move(*pending_);
      pending_.reset();
      writing_ = true;
    }
    const Status status = Record(head);
    if (!status.ok()) {
      std::fprintf(stderr, "audit checkpoint: %s\n", status.ToString().c_str());
    }
    {
      MutexLock lock(mu_);
      writing_ = false;
      processed_sequence_ = std::max(processed_sequence_, head.sequence);
    }
    processed_.NotifyAll();
  }
}

Status AuditCheckpointer::Record(const AuditHead& head) {
  AuditCheckpoint checkpoint;
  checkpoint.sequence = head.sequence;
  checkpoint.hash = head.hash;
  checkpoint.time = clock_.Now();
  signer_.Sign(checkpoint);
  std::string line = EncodeAuditCheckpoint(checkpoint);
  Status written = WritePrivateFileAtomically(path_, line + "\n");
  if (!written.ok()) {
    ++failures_;
    return written.WithContext("write audit checkpoint");
  }
  recorded_sequence_ = head.sequence;
  if (witnesses_) witnesses_->Publish(std::move(line));
  return Status::Ok();
}

}  // namespace warden
