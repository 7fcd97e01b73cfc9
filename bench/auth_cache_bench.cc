// What authenticating a credential costs per request, with and without the
// change-feed cache (service/invalidated_cache.h), in one binary and one
// run:
//
//   BM_ApiTokenAuthenticate/store   AccessService::Authenticate, a read
//                                   transaction per call (the path of every
//                                   /v1 request before the cache)
//   BM_ApiTokenAuthenticate/cached  the same call answered from memory
//   BM_ClientAuthenticate/store     ClientCredentialService::Authenticate
//                                   (token endpoint): identity + credential
//                                   read, then the secret check
//   BM_ClientAuthenticate/cached    the same, the client cached
//   BM_ClientAuthenticateFromCache  the I/O-thread path of the token
//                                   endpoint (no side effects)
//   BM_SessionAuthenticate          a console session cookie: session and
//                                   user read per call, never cached (a
//                                   sign-out on any replica applies at once)
//   BM_PasswordSignIn               a console sign-in: Argon2id check,
//                                   counters, session row and audit record
//
// Read the ratio of CPU per call between /store and /cached. The store is a
// real SQLite file under $WARDEN_BENCH_DIR (default /tmp).
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/id.h"
#include "inventory/access_service.h"
#include "oauth/client_credential_service.h"
#include "secrets/key_encryption_key.h"
#include "service/system_caller.h"
#include "signin/sign_in_service.h"
#include "signin/user_credential_service.h"
#include "store/sqlite/sqlite_store.h"

namespace warden {
namespace {

std::string BenchDir() {
  const char* dir = std::getenv("WARDEN_BENCH_DIR");
  std::string pattern =
      std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") +
      "/warden_auth_bench_XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) return {};
  return pattern;
}

// One store with an admin API token and an OAuth client, shared by every
// benchmark of the run.
struct Fixture {
  Fixture() : dir(BenchDir()) {
    SqliteStoreOptions options;
    options.path = dir + "/warden.db";
    options.changes = &changes;
    store = std::move(OpenSqliteStore(options)).value();
    auditor = std::make_unique<Auditor>(*store, clock);
    access = std::make_unique<inventory::AccessService>(*store, *auditor);
    api_token = **access->BootstrapAdminToken();
    custody = std::make_unique<oauth::OAuthKeyCustody>(
        std::move(oauth::OAuthKeyCustody::Create(RandomBytes(32))).value());
    clients = std::make_unique<oauth::ClientCredentialService>(
        *store, *auditor, *custody, tokens::ClientAssertionOptions{});
    client.client_id = SeedClient();
    oauth::CredentialRequest request;
    request.method = kClientSecretMethod;
    client.client_secret =
        clients->Register(SystemCaller(), client.client_id, request)
            ->client_secret;
    client.auth_method = "client_secret_basic";
    client.remote = "127.0.0.1:1";
    SeedConsoleUser();
  }

  // A user "ann" with a password, signed in once (`session_cookie`).
  void SeedConsoleUser() {
    User user;
    user.name = "ann";
    user.role = Role::kSecurity;
    user.created_at = user.updated_at = clock.Now();
    (void)store->Write(
        [&](Transaction& tx) { return tx.users().Insert(user); });
    sealer = std::make_unique<signin::TotpKeySealer>(kek);
    sign_in = std::make_unique<signin::SignInService>(*store, *auditor, *sealer,
                                                      nullptr);
    signin::UserCredentialService credentials(*store, *auditor, *sealer);
    (void)credentials.SetPassword(SystemCaller(), "ann", kConsolePassword);
    session_cookie =
        sign_in->SignInWithPassword({"ann", kConsolePassword, {}}, {})
            ->cookie_value;
  }
  ~Fixture() {
    sign_in.reset();
    clients.reset();
    access.reset();
    store->Close();
    std::filesystem::remove_all(dir);
  }

  std::string SeedClient() {
    const Timestamp now = clock.Now();
    Team team;
    team.name = "bench";
    team.members = {"load"};
    Identity identity;
    identity.id = NewId(now);
    identity.name = "bench-client";
    identity.kind = IdentityKind::kWorkload;
    identity.owner = "bench";
    identity.application = "bench";
    identity.environment = Environment::kProduction;
    identity.risk_tier = RiskTier::kLow;
    identity.scopes = {"orders:read"};
    identity.expires_at = now + std::chrono::days(30);
    identity.created_at = identity.updated_at = now;
    (void)store->Write([&](Transaction& tx) -> Status {
      WARDEN_RETURN_IF_ERROR(tx.teams().Insert(team));
      return tx.identities().Insert(identity);
    });
    return identity.id;
  }

  const std::string dir;
  SystemClock clock;
  ChangeFeed changes;
  std::unique_ptr<Store> store;
  std::unique_ptr<Auditor> auditor;
  std::unique_ptr<inventory::AccessService> access;
  std::string api_token;
  std::unique_ptr<oauth::OAuthKeyCustody> custody;
  std::unique_ptr<oauth::ClientCredentialService> clients;
  oauth::ClientPresentation client;
  static constexpr char kConsolePassword[] = "a console password";
  const secrets::KeyEncryptionKey kek = secrets::KeyEncryptionKey::Generate();
  std::unique_ptr<signin::TotpKeySealer> sealer;
  std::unique_ptr<signin::SignInService> sign_in;
  std::string session_cookie;
};

Fixture& Shared() {
  static Fixture fixture;
  return fixture;
}

void BM_ApiTokenAuthenticate(benchmark::State& state, bool cached) {
  Fixture& f = Shared();
  inventory::AccessService access(*f.store, *f.auditor);
  if (cached) access.CacheAuthentications(f.changes);
  for (auto _ : state) {
    Result<Principal> principal =
        access.Authenticate(f.api_token, "127.0.0.1:1", "bench");
    if (!principal.ok()) state.SkipWithError("authentication failed");
    benchmark::DoNotOptimize(principal);
  }
}
BENCHMARK_CAPTURE(BM_ApiTokenAuthenticate, store, false);
BENCHMARK_CAPTURE(BM_ApiTokenAuthenticate, cached, true);

void BM_ClientAuthenticate(benchmark::State& state, bool cached) {
  Fixture& f = Shared();
  oauth::ClientCredentialService clients(*f.store, *f.auditor, *f.custody,
                                         tokens::ClientAssertionOptions{});
  if (cached) clients.CacheLookups(f.changes);
  for (auto _ : state) {
    Result<oauth::AuthenticatedClient> client = clients.Authenticate(f.client);
    if (!client.ok()) state.SkipWithError("client authentication failed");
    benchmark::DoNotOptimize(client);
  }
}
BENCHMARK_CAPTURE(BM_ClientAuthenticate, store, false);
BENCHMARK_CAPTURE(BM_ClientAuthenticate, cached, true);

void BM_ClientAuthenticateFromCache(benchmark::State& state) {
  Fixture& f = Shared();
  oauth::ClientCredentialService clients(*f.store, *f.auditor, *f.custody,
                                         tokens::ClientAssertionOptions{});
  clients.CacheLookups(f.changes);
  if (!clients.Authenticate(f.client).ok()) {
    state.SkipWithError("client authentication failed");
  }
  for (auto _ : state) {
    std::optional<oauth::AuthenticatedClient> client =
        clients.AuthenticateFromCache(f.client);
    if (!client) state.SkipWithError("client not cached");
    benchmark::DoNotOptimize(client);
  }
}
BENCHMARK(BM_ClientAuthenticateFromCache);

void BM_SessionAuthenticate(benchmark::State& state) {
  Fixture& f = Shared();
  for (auto _ : state) {
    Result<Principal> principal = f.sign_in->AuthenticateSession(
        f.session_cookie, "", false, "127.0.0.1:1", "bench");
    if (!principal.ok()) state.SkipWithError("session refused");
    benchmark::DoNotOptimize(principal);
  }
}
BENCHMARK(BM_SessionAuthenticate);

void BM_PasswordSignIn(benchmark::State& state) {
  Fixture& f = Shared();
  for (auto _ : state) {
    Result<signin::SignedIn> signed_in = f.sign_in->SignInWithPassword(
        {"ann", Fixture::kConsolePassword, {}}, {"127.0.0.1:1", "bench", "b"});
    if (!signed_in.ok()) state.SkipWithError("sign-in refused");
    benchmark::DoNotOptimize(signed_in);
  }
}
BENCHMARK(BM_PasswordSignIn)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace warden

BENCHMARK_MAIN();
