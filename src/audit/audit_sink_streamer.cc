#include "audit/audit_sink_streamer.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "core/crypto.h"

namespace warden {
namespace {

// Consecutive failures between two reports on stderr (the first is always
// reported): a dead sink says so without flooding the log.
constexpr int64_t kFailureReportEvery = 20;

std::string DefaultHolder() {
  char host[256] = {};
  if (::gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  return std::string(host) + "/" + std::to_string(::getpid()) + "/" +
         HexEncode(reinterpret_cast<const uint8_t*>(RandomBytes(4).data()), 4);
}

AuditRecord RecordOf(const AuditRecordView& view) {
  AuditRecord record;
  record.sequence = view.sequence;
  record.event.time = FromMicros(view.time_us);
  record.event.actor = view.actor;
  record.event.action = view.action;
  record.event.target = view.target;
  record.event.outcome = view.outcome;
  record.event.details = view.details;
  record.prev_hash = view.prev_hash;
  record.hash = view.hash;
  record.format = static_cast<AuditHashFormat>(view.format);
  return record;
}

}  // namespace

struct AuditSinkStreamer::Channel {
  std::string name;
  std::string kind;
  std::unique_ptr<AuditSink> sink;
  int batch = 1;
  // Used by the channel's thread only.
  int64_t cursor = 0;
  Timestamp renew_at{};
  int64_t consecutive_failures = 0;
  // Read by Statuses() from any thread.
  std::atomic<int64_t> head{0};
  std::atomic<int64_t> delivered{0};
  std::atomic<int64_t> delivered_records{0};
  std::atomic<int64_t> failures{0};
  std::atomic<bool> held{false};
  std::thread thread;
};

AuditSinkStreamer::AuditSinkStreamer(Store& store, const Clock& clock,
                                     AuditSinkStreamerOptions options)
    : store_(store), clock_(clock), options_([&] {
        if (options.holder.empty()) options.holder = DefaultHolder();
        return std::move(options);
      }()) {}

AuditSinkStreamer::~AuditSinkStreamer() { Stop(); }

void AuditSinkStreamer::Add(std::string name, std::string kind,
                            std::unique_ptr<AuditSink> sink, int batch) {
  auto channel = std::make_unique<Channel>();
  channel->name = std::move(name);
  channel->kind = std::move(kind);
  channel->sink = std::move(sink);
  channel->batch = std::max(1, batch);
  channels_.push_back(std::move(channel));
}

void AuditSinkStreamer::Start() {
  for (auto& channel : channels_) {
    Channel* c = channel.get();
    c->thread = std::thread([this, c] { Run(*c); });
  }
}

void AuditSinkStreamer::Stop() {
  if (stopped_.exchange(true)) return;
  {
    MutexLock lock(mu_);
    stopping_ = true;
  }
  wake_.NotifyAll();
  for (auto& channel : channels_) {
    if (channel->thread.joinable()) channel->thread.join();
  }
  const Timestamp now = clock_.Now();
  for (auto& channel : channels_) {
    if (!channel->held.load()) continue;
    const Status released = store_.Write([&](Transaction& tx) {
      return tx.audit_sink_cursors().Release(channel->name, options_.holder,
                                             now);
    });
    if (!released.ok()) {
      std::fprintf(stderr, "audit sink '%s': release lease: %s\n",
                   channel->name.c_str(), released.ToString().c_str());
    }
    channel->held = false;
  }
}

std::chrono::milliseconds AuditSinkStreamer::RenewalPeriod() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(options_.lease) /
         3;
}

bool AuditSinkStreamer::Sleep(std::chrono::milliseconds delay) {
  const auto deadline = std::chrono::steady_clock::now() + delay;
  MutexLock lock(mu_);
  while (!stopping_ && wake_.WaitUntil(mu_, deadline)) {
  }
  return !stopping_;
}

void AuditSinkStreamer::Run(Channel& channel) {
  std::chrono::milliseconds backoff = options_.first_backoff;
  for (;;) {
    {
      MutexLock lock(mu_);
      if (stopping_) return;
    }
    Result<bool> step = Step(channel);
    if (step.ok()) {
      backoff = options_.first_backoff;
      channel.consecutive_failures = 0;
      if (*step) continue;
      // Caught up: look again after `poll`. Not the lease holder: try to
      // take it at the next renewal point.
      if (!Sleep(channel.held.load() ? options_.poll : RenewalPeriod())) {
        return;
      }
      continue;
    }
    ++channel.failures;
    if (channel.consecutive_failures++ % kFailureReportEvery == 0) {
      std::fprintf(stderr, "audit sink '%s': %s (retrying in %lld ms)\n",
                   channel.name.c_str(), step.status().ToString().c_str(),
                   static_cast<long long>(backoff.count()));
    }
    if (!Sleep(backoff)) return;
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
}

Status AuditSinkStreamer::RenewLease(Channel& channel) {
  const Timestamp now = clock_.Now();
  if (channel.held.load() && now < channel.renew_at) {
    return Status::Ok();
  }
  AuditSinkCursor row;
  WARDEN_RETURN_IF_ERROR(store_.Write([&](Transaction& tx) {
    WARDEN_ASSIGN_OR_RETURN(row, tx.audit_sink_cursors().Acquire(
                                     channel.name, options_.holder, now,
                                     now + options_.lease, options_.exclusive));
    return Status::Ok();
  }));
  channel.held = row.holder == options_.holder;
  channel.cursor = row.delivered_sequence;
  channel.delivered = row.delivered_sequence;
  channel.renew_at = now + RenewalPeriod();
  return Status::Ok();
}

Result<int64_t> AuditSinkStreamer::ReadHead() {
  int64_t head = 0;
  WARDEN_RETURN_IF_ERROR(store_.Read([&](Transaction& tx) {
    WARDEN_ASSIGN_OR_RETURN(std::optional<AuditRecord> last, tx.audit().Head());
    if (last) head = last->sequence;
    return Status::Ok();
  }));
  return head;
}

Result<std::vector<AuditRecord>> AuditSinkStreamer::ReadBatch(int64_t first,
                                                              int64_t last) {
  std::vector<AuditRecord> records;
  records.reserve(static_cast<size_t>(last - first + 1));
  WARDEN_RETURN_IF_ERROR(store_.Read([&](Transaction& tx) {
    records.clear();
    return tx.audit().Scan(first, last, [&](const AuditRecordView& view) {
      records.push_back(RecordOf(view));
      return true;
    });
  }));
  return records;
}

Status AuditSinkStreamer::Advance(Channel& channel, int64_t sequence) {
  const Timestamp now = clock_.Now();
  Status advanced = store_.Write([&](Transaction& tx) {
    return tx.audit_sink_cursors().Advance(channel.name, options_.holder,
                                           sequence, now, now + options_.lease);
  });
  if (advanced.problem() == "audit-sink-lease-lost") channel.held = false;
  WARDEN_RETURN_IF_ERROR(advanced);
  channel.cursor = sequence;
  channel.delivered = sequence;
  channel.renew_at = now + RenewalPeriod();
  return Status::Ok();
}

Result<bool> AuditSinkStreamer::Step(Channel& channel) {
  WARDEN_RETURN_IF_ERROR(RenewLease(channel));
  WARDEN_ASSIGN_OR_RETURN(const int64_t head, ReadHead());
  channel.head = head;
  if (!channel.held.load()) return false;
  if (head <= channel.cursor) {
    WARDEN_RETURN_IF_ERROR(channel.sink->Idle());
    return false;
  }
  const int64_t first = channel.cursor + 1;
  const int64_t last = std::min(head, channel.cursor + channel.batch);
  WARDEN_ASSIGN_OR_RETURN(std::vector<AuditRecord> records,
                          ReadBatch(first, last));
  if (records.empty() || records.front().sequence != first) {
    const int64_t missing_to =
        records.empty() ? last : records.front().sequence - 1;
    std::fprintf(stderr,
                 "audit sink '%s': records %lld..%lld are no longer in the "
                 "log (pruned before delivery); skipped\n",
                 channel.name.c_str(), static_cast<long long>(first),
                 static_cast<long long>(missing_to));
    if (records.empty()) {
      WARDEN_RETURN_IF_ERROR(Advance(channel, last));
      return true;
    }
  }
  WARDEN_RETURN_IF_ERROR(channel.sink->Deliver(records));
  WARDEN_RETURN_IF_ERROR(Advance(channel, records.back().sequence));
  channel.delivered_records += static_cast<int64_t>(records.size());
  return true;
}

std::vector<AuditSinkStatus> AuditSinkStreamer::Statuses() const {
  std::vector<AuditSinkStatus> out;
  for (const auto& channel : channels_) {
    AuditSinkStatus status;
    status.name = channel->name;
    status.kind = channel->kind;
    status.head_sequence = channel->head.load();
    status.delivered_sequence = channel->delivered.load();
    status.delivered_records = channel->delivered_records.load();
    status.failed_deliveries = channel->failures.load();
    status.lease_held = channel->held.load();
    out.push_back(std::move(status));
  }
  return out;
}

}  // namespace warden
