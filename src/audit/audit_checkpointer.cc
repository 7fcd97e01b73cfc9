#include "audit/audit_checkpointer.h"

#include <cstdio>

#include "audit/private_file.h"

namespace warden {

AuditCheckpointer::AuditCheckpointer(
    std::string path, AuditCheckpointSigner signer, const Clock& clock,
    std::unique_ptr<WitnessPublisher> witnesses, CheckpointPace pace)
    : path_(std::move(path)),
      signer_(std::move(signer)),
      clock_(clock),
      witnesses_(std::move(witnesses)),
      pace_(pace) {
  thread_ = std::thread([this] { Run(); });
}

AuditCheckpointer::~AuditCheckpointer() { Stop(); }

Status AuditCheckpointer::RecordNow(const AuditHead& head) {
  {
    std::unique_lock lock(mu_);
    recorded_.wait(lock, [this] { return !pending_ && !writing_; });
    writing_ = true;
  }
  Status status = Record(head);
  {
    std::lock_guard lock(mu_);
    writing_ = false;
  }
  recorded_.notify_all();
  return status;
}

void AuditCheckpointer::AwaitRecorded() {
  if (pace_ == CheckpointPace::kCoalesced) return;
  std::unique_lock lock(mu_);
  if (!recorded_.wait_for(lock, kMaxCheckpointWait,
                          [this] { return !pending_ && !writing_; })) {
    std::fprintf(stderr,
                 "audit checkpoint: still not written after %llds; "
                 "committing without waiting\n",
                 static_cast<long long>(kMaxCheckpointWait.count()));
  }
}

void AuditCheckpointer::OnCommitted(const AuditHead& head) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    pending_ = head;
  }
  wake_.notify_one();
}

void AuditCheckpointer::Stop() {
  std::lock_guard stop_lock(stop_mu_);
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
  if (witnesses_) witnesses_->Stop();
}

void AuditCheckpointer::Run() {
  while (true) {
    AuditHead head;
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [this] { return pending_ || stopping_; });
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
      std::lock_guard lock(mu_);
      writing_ = false;
    }
    recorded_.notify_all();
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
