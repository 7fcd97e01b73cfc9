// exposure_loader DATA_DIR COUNT: fills DATA_DIR/warden.db with COUNT
// tenants ("tenant-0".."tenant-N-1", each with two attributes) and one
// segment "cohort" whose explicit members are all of them, through the real
// Store (units of 1,000). The server started on DATA_DIR afterwards loads
// them on its first publish. Used by bench/ofrep_http.sh (TENANTS=N) for the
// kill-switch propagation figures at 100,000 tenants: the HTTP API would
// republish the tenants section once per created tenant.
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/crypto.h"
#include "store/sqlite/sqlite_store.h"

namespace warden {
namespace {

constexpr int64_t kUnitSize = 1000;
constexpr char kSegment[] = "cohort";

std::string TenantKey(int64_t i) { return "tenant-" + std::to_string(i); }

Status LoadUnit(Store& store, int64_t first, int64_t count, Timestamp now) {
  return store.Write([&](Transaction& tx) {
    std::vector<std::string> keys;
    for (int64_t i = first; i < first + count; ++i) {
      TenantRecord tenant;
      tenant.key = TenantKey(i);
      tenant.name = "Tenant " + std::to_string(i);
      tenant.attributes_json =
          "{\"plan\":\"" + std::string(i % 10 == 0 ? "enterprise" : "team") +
          "\",\"region\":\"" + std::string(i % 2 == 0 ? "eu" : "us") + "\"}";
      tenant.created_at = tenant.updated_at = now;
      WARDEN_RETURN_IF_ERROR(tx.tenants().Insert(tenant));
      keys.push_back(tenant.key);
    }
    return tx.segments().AddTenants(kSegment, keys).status();
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
  Status s = (*store)->Write([&](Transaction& tx) {
    SegmentRecord segment;
    segment.key = kSegment;
    segment.description = "every loaded tenant";
    segment.created_at = segment.updated_at = clock.Now();
    return tx.segments().Insert(segment);
  });
  const auto start = std::chrono::steady_clock::now();
  for (int64_t i = 0; s.ok() && i < count; i += kUnitSize) {
    s = LoadUnit(**store, i, std::min(kUnitSize, count - i), clock.Now());
  }
  if (!s.ok()) {
    std::fprintf(stderr, "load failed: %s\n", s.ToString().c_str());
    return 1;
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  std::printf("loaded %lld tenants and segment %s in %.1f s\n",
              static_cast<long long>(count), kSegment, secs);
  (*store)->Close();
  return 0;
}

}  // namespace
}  // namespace warden

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s DATA_DIR COUNT\n", argv[0]);
    return 2;
  }
  return warden::Run(argv[1], std::atoll(argv[2]));
}
