#include "store/postgres/pg_change_follower.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "store/postgres/pg_connection.h"
#include "store/postgres/pg_store.h"

namespace warden::postgres {
namespace {

constexpr std::chrono::milliseconds kMaxBackoff{2000};
constexpr int kRowsPerRead = 1000;

struct Row {
  int64_t revision;
  bool own;
  std::string keys;
};

// True when this session holds kSchedulerLock (taken now or before: a
// session lock is reentrant, so the follower asks once per poll).
bool TryLease(PGconn* conn, bool held) {
  if (held) return true;
  const std::string sql =
      "SELECT pg_try_advisory_lock(" + std::to_string(kSchedulerLock) + ")";
  PGresult* result = PQexec(conn, sql.c_str());
  const bool taken = PQresultStatus(result) == PGRES_TUPLES_OK &&
                     PQntuples(result) == 1 &&
                     PQgetvalue(result, 0, 0)[0] == 't';
  PQclear(result);
  return taken;
}

// Connects and LISTENs; null (logged) on failure.
PGconn* ConnectListening(const std::string& uri) {
  PGconn* conn = PQconnectdb(uri.c_str());
  if (PQstatus(conn) == CONNECTION_OK) {
    PGresult* listen =
        PQexec(conn, (std::string("LISTEN ") + kChangeChannel).c_str());
    const bool ok = PQresultStatus(listen) == PGRES_COMMAND_OK;
    PQclear(listen);
    if (ok) return conn;
  }
  std::fprintf(stderr, "store: change follower: connect %s: %s",
               RedactConnectionUri(uri).c_str(), PQerrorMessage(conn));
  PQfinish(conn);
  return nullptr;
}

// The change_log rows after `after`, in order; nullopt on a lost connection.
std::optional<std::vector<Row>> ReadRows(PGconn* conn, int64_t after,
                                         const std::string& replica_id) {
  const std::string after_text = std::to_string(after);
  const std::string limit_text = std::to_string(kRowsPerRead);
  const char* params[] = {after_text.c_str(), limit_text.c_str()};
  PGresult* result = PQexecParams(
      conn,
      "SELECT revision, origin, keys FROM change_log WHERE revision > $1 "
      "ORDER BY revision LIMIT $2",
      2, nullptr, params, nullptr, nullptr, 0);
  if (PQresultStatus(result) != PGRES_TUPLES_OK) {
    std::fprintf(stderr, "store: change follower: read: %s",
                 PQresultErrorMessage(result));
    PQclear(result);
    return std::nullopt;
  }
  std::vector<Row> rows;
  for (int i = 0; i < PQntuples(result); ++i) {
    rows.push_back({std::strtoll(PQgetvalue(result, i, 0), nullptr, 10),
                    replica_id == PQgetvalue(result, i, 1),
                    PQgetvalue(result, i, 2)});
  }
  PQclear(result);
  return rows;
}

// True when any notification was waiting (each is only a wake-up: the
// rows say what changed).
bool DrainNotifications(PGconn* conn) {
  bool any = false;
  while (PGnotify* notice = PQnotifies(conn)) {
    any = true;
    PQfreemem(notice);
  }
  return any;
}

void SplitKeys(const std::string& text, std::vector<std::string>& out) {
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
}

}  // namespace

ChangeFollower::ChangeFollower(std::string uri, std::string replica_id,
                               int64_t start_revision, ChangeFeed* feed,
                               RemoteChanges on_remote, ClusterLease* lease,
                               ChangeFollowerHealth* health)
    : uri_(std::move(uri)),
      replica_id_(std::move(replica_id)),
      feed_(feed),
      on_remote_(std::move(on_remote)),
      lease_(lease),
      health_(health),
      revision_(start_revision) {
  if (pipe2(wake_pipe_, O_CLOEXEC | O_NONBLOCK) != 0) {
    wake_pipe_[0] = wake_pipe_[1] = -1;
  }
  thread_ = std::thread([this] { Run(); });
}

ChangeFollower::~ChangeFollower() {
  stopping_ = true;
  if (wake_pipe_[1] >= 0) (void)!write(wake_pipe_[1], "x", 1);
  thread_.join();
  for (int fd : wake_pipe_) {
    if (fd >= 0) close(fd);
  }
}

void ChangeFollower::Run() {
  PGconn* conn = nullptr;
  bool leased = false;
  auto close = [&] {
    if (conn != nullptr) PQfinish(conn);
    conn = nullptr;
    leased = false;
    if (lease_ != nullptr) lease_->Set(false);
  };
  std::chrono::milliseconds backoff{50};
  bool read_due = true;  // catch up at once after each (re)connect
  while (!stopping_) {
    if (conn == nullptr) {
      conn = ConnectListening(uri_);
      if (conn == nullptr) {
        pollfd wake{wake_pipe_[0], POLLIN, 0};
        poll(&wake, 1, static_cast<int>(backoff.count()));
        backoff = std::min(backoff * 2, kMaxBackoff);
        continue;
      }
      backoff = std::chrono::milliseconds{50};
      read_due = true;
    }
    if (read_due) {
      read_due = false;
      if (lease_ != nullptr) {
        leased = TryLease(conn, leased);
        lease_->Set(leased);
      }
      bool more = true;
      while (more && !stopping_) {
        auto rows = ReadRows(conn, revision_.load(), replica_id_);
        if (!rows) {
          close();
          break;
        }
        more = rows->size() == static_cast<size_t>(kRowsPerRead);
        std::vector<std::string> keys;
        int64_t expected = revision_.load() + 1;
        for (const Row& row : *rows) {
          // Revisions are consecutive: a gap means pruned rows never read.
          if (row.revision != expected) keys.push_back(ChangeKey::Everything());
          expected = row.revision + 1;
          if (!row.own) SplitKeys(row.keys, keys);
        }
        if (!rows->empty()) revision_ = rows->back().revision;
        if (keys.empty()) continue;
        if (feed_ != nullptr) feed_->Publish(keys);
        if (on_remote_) on_remote_(keys);
      }
      if (conn != nullptr && !more && health_ != nullptr) {
        health_->NoteCaughtUp(SystemClock().Now());
      }
      continue;
    }
    // Notifications that arrived while a query ran are already buffered:
    // the socket will not signal them again.
    if (DrainNotifications(conn)) {
      read_due = true;
      continue;
    }
    pollfd fds[2] = {{PQsocket(conn), POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
    int ready = poll(fds, 2, static_cast<int>(kPollInterval.count()));
    if (stopping_) break;
    if (ready == 0) {
      read_due = true;  // the periodic read also probes the connection
      continue;
    }
    if ((fds[0].revents & POLLIN) == 0 && fds[0].revents != 0) {
      close();  // error or hang-up
      continue;
    }
    if (PQconsumeInput(conn) == 0) {
      close();
      continue;
    }
    read_due = DrainNotifications(conn);
  }
  close();
}

}  // namespace warden::postgres
