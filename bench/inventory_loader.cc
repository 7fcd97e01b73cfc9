// inventory_loader DATA_DIR COUNT: fills DATA_DIR/warden.db with COUNT
// identities spread over 100 teams, 3 environments, 7 kinds and 20
// applications, each with its "identity.create" audit record, through the
// real Store (group-committed units of 1,000). Used by bench/load/scale.sh
// to measure list latency, RSS and audit verification at 1,000,000 rows.
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/id.h"
#include "store/sqlite/sqlite_store.h"

namespace warden {
namespace {

constexpr int kTeams = 100;
constexpr int kUnitSize = 1000;

Identity MakeIdentity(int64_t i, Timestamp now) {
  static constexpr IdentityKind kKinds[] = {
      IdentityKind::kServiceAccount,   IdentityKind::kWorkload,
      IdentityKind::kApiKey,           IdentityKind::kToken,
      IdentityKind::kCertificate,      IdentityKind::kOauthApp,
      IdentityKind::kAutomationAccount};
  Identity id;
  id.id = NewId(now);
  id.name = "nhi-" + std::to_string(i);
  id.kind = kKinds[i % 7];
  id.owner = "team-" + std::to_string(i % kTeams);
  id.application = "app-" + std::to_string(i % 20);
  id.environment = static_cast<Environment>(i % 3);
  id.risk_tier = static_cast<RiskTier>(i % 4);
  id.risk_reason = "loaded";
  id.auth_method = "client_secret";
  id.scopes = {"billing:read", "orders:write"};
  id.rotation_days = 30;
  id.expires_at = now + std::chrono::hours(24 * (1 + i % 365));
  id.vendor = i % 10 == 0 ? "stripe" : "";
  id.tenant = "tenant-" + std::to_string(i % 5000);
  id.created_at = id.updated_at = now;
  return id;
}

Status LoadTeams(Store& store, Timestamp now) {
  return store.Write([&](Transaction& tx) {
    for (int t = 0; t < kTeams; ++t) {
      Team team{"team-" + std::to_string(t),
                {"owner-" + std::to_string(t)},
                now,
                now};
      WARDEN_RETURN_IF_ERROR(tx.teams().Insert(team));
    }
    return Status::Ok();
  });
}

Status LoadUnit(Store& store, int64_t first, int64_t count,
                const Clock& clock) {
  return store.Write([&](Transaction& tx) {
    for (int64_t i = first; i < first + count; ++i) {
      Identity identity = MakeIdentity(i, clock.Now());
      WARDEN_RETURN_IF_ERROR(tx.identities().Insert(identity));
      AuditEvent event{clock.Now(),
                       "loader",
                       "identity.create",
                       "identity/" + identity.id,
                       "ok",
                       "{\"name\":\"" + identity.name + "\"}"};
      WARDEN_RETURN_IF_ERROR(tx.audit().Append(event).status());
    }
    return Status::Ok();
  });
}

int Run(const std::string& dir, int64_t count) {
  if (!InitCrypto().ok()) return 1;
  ::mkdir(dir.c_str(), 0700);
  auto store = OpenSqliteStore(SqliteStoreOptions{.path = dir + "/warden.db"});
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 1;
  }
  SystemClock clock;
  Status s = LoadTeams(**store, clock.Now());
  auto start = std::chrono::steady_clock::now();
  for (int64_t i = 0; s.ok() && i < count; i += kUnitSize) {
    s = LoadUnit(**store, i, std::min<int64_t>(kUnitSize, count - i), clock);
  }
  if (!s.ok()) {
    std::fprintf(stderr, "load failed: %s\n", s.ToString().c_str());
    return 1;
  }
  double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  std::printf("loaded %lld identities in %.1f s (%.0f/s)\n",
              static_cast<long long>(count), secs, count / secs);
  (*store)->Close();
  return 0;
}

}  // namespace
}  // namespace warden

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: inventory_loader DATA_DIR COUNT\n");
    return 1;
  }
  return warden::Run(argv[1], std::atoll(argv[2]));
}
