// The Store contract suite, run against every implementation. Nothing here
// may depend on one implementation: PostgreSQL joins by adding a factory to
// the INSTANTIATE at the bottom.
#include "store/store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/audit_record.h"
#include "core/id.h"
#include "store/store_test_fixture.h"

namespace warden {
namespace {

using namespace std::chrono_literals;

const Timestamp kT0 = kStoreTestT0;

Team MakeTeam(const std::string& name, std::vector<std::string> members = {}) {
  Team team;
  team.name = name;
  team.members = std::move(members);
  team.created_at = kT0;
  team.updated_at = kT0 + 1s;
  return team;
}

Identity MakeIdentity(const std::string& name, const std::string& owner) {
  Identity identity;
  identity.id = NewId(kT0);
  identity.name = name;
  identity.owner = owner;
  identity.application = "checkout";
  identity.auth_method = "oidc";
  identity.created_at = kT0;
  identity.updated_at = kT0;
  identity.expires_at = kT0 + 24h;
  return identity;
}

AuditEvent MakeEvent(const std::string& action, const std::string& actor,
                     const std::string& target, Timestamp time = kT0) {
  return AuditEvent{time, actor, action, target, "ok", R"({"k":1})"};
}

class StoreTest : public StoreContractTest {
 protected:
  void InsertTeam(const std::string& name) {
    ASSERT_TRUE(Write([&](Transaction& tx) {
                  return tx.teams().Insert(MakeTeam(name));
                }).ok());
  }

  void InsertIdentities(const std::vector<Identity>& identities) {
    Status status = Write([&](Transaction& tx) {
      for (const Identity& identity : identities) {
        WARDEN_RETURN_IF_ERROR(tx.identities().Insert(identity));
      }
      return Status::Ok();
    });
    ASSERT_TRUE(status.ok()) << status.ToString();
  }

  // Every page of List(filter) with `page_size`, checking the page
  // contract on the way; returns the ids in order.
  std::vector<std::string> ListAllIds(const IdentityFilter& filter,
                                      int page_size) {
    std::vector<std::string> ids;
    PageRequest page{std::nullopt, page_size};
    for (int guard = 0; guard < 10000; ++guard) {
      Page<Identity> result = ReadValue<Page<Identity>>(
          [&](Transaction& tx) { return tx.identities().List(filter, page); });
      EXPECT_LE(result.items.size(), static_cast<size_t>(page_size));
      for (const Identity& identity : result.items) ids.push_back(identity.id);
      if (!result.next_after_id) break;
      EXPECT_EQ(result.items.size(), static_cast<size_t>(page_size));
      EXPECT_EQ(*result.next_after_id, result.items.back().id);
      page.after_id = result.next_after_id;
    }
    return ids;
  }
};

// ------------------------------------------------------------------ teams

TEST_P(StoreTest, TeamsCrud) {
  ASSERT_TRUE(Write([](Transaction& tx) {
                WARDEN_RETURN_IF_ERROR(
                    tx.teams().Insert(MakeTeam("payments", {"zoe", "ann"})));
                return tx.teams().Insert(MakeTeam("identity"));
              }).ok());
  Team got = ReadValue<Team>(
      [](Transaction& tx) { return tx.teams().Get("payments"); });
  EXPECT_EQ(got.name, "payments");
  EXPECT_EQ(got.members, (std::vector<std::string>{"zoe", "ann"}));
  EXPECT_EQ(got.created_at, kT0);
  EXPECT_EQ(got.updated_at, kT0 + 1s);

  auto teams = ReadValue<std::vector<Team>>(
      [](Transaction& tx) { return tx.teams().List(); });
  ASSERT_EQ(teams.size(), 2u);
  EXPECT_EQ(teams[0].name, "identity");
  EXPECT_EQ(teams[1].name, "payments");
  EXPECT_EQ(teams[1].members.size(), 2u);

  Team changed = MakeTeam("payments", {"bob"});
  changed.updated_at = kT0 + 5s;
  ASSERT_TRUE(
      Write([&](Transaction& tx) { return tx.teams().Update(changed); }).ok());
  got = ReadValue<Team>(
      [](Transaction& tx) { return tx.teams().Get("payments"); });
  EXPECT_EQ(got.members, std::vector<std::string>{"bob"});
  EXPECT_EQ(got.updated_at, kT0 + 5s);

  ASSERT_TRUE(Write([](Transaction& tx) {
                return tx.teams().Delete("payments");
              }).ok());
  EXPECT_EQ(ReadStatus([](Transaction& tx) {
              return tx.teams().Get("payments").status();
            }).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(Write([](Transaction& tx) {
              return tx.teams().Delete("payments");
            }).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(Write([](Transaction& tx) {
              return tx.teams().Update(MakeTeam("ghost"));
            }).code(),
            StatusCode::kNotFound);
}

TEST_P(StoreTest, DuplicateTeamIsAlreadyExists) {
  InsertTeam("payments");
  Status status = Write(
      [](Transaction& tx) { return tx.teams().Insert(MakeTeam("payments")); });
  EXPECT_EQ(status.code(), StatusCode::kAlreadyExists) << status.ToString();
}

TEST_P(StoreTest, DeletingAnOwningTeamIsFailedPrecondition) {
  InsertTeam("payments");
  InsertIdentities({MakeIdentity("svc-a", "payments")});
  Status status =
      Write([](Transaction& tx) { return tx.teams().Delete("payments"); });
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition)
      << status.ToString();
  EXPECT_EQ(ReadValue<Team>([](Transaction& tx) {
              return tx.teams().Get("payments");
            }).name,
            "payments");
}

// -------------------------------------------------------------- identities

TEST_P(StoreTest, IdentityRoundTripsEveryField) {
  InsertTeam("payments");
  Identity identity = MakeIdentity("svc-checkout", "payments");
  identity.kind = IdentityKind::kOauthApp;
  identity.environment = Environment::kProduction;
  identity.business_function = "billing";
  identity.risk_tier = RiskTier::kHigh;
  identity.risk_tier_declared = true;
  identity.risk_reason = "production, external";
  identity.scopes = {"invoices:read", "invoices:write"};
  identity.rotation_days = 30;
  identity.justification = "pays invoices";
  identity.vendor = "stripe";
  identity.tenant = "acme";
  identity.status = IdentityStatus::kSuspended;
  identity.status_reason = "incident 42";
  identity.last_used_at = kT0 + 3s;
  identity.version = 7;
  InsertIdentities({identity});

  Identity by_id = ReadValue<Identity>(
      [&](Transaction& tx) { return tx.identities().Get(identity.id); });
  Identity by_name = ReadValue<Identity>([](Transaction& tx) {
    return tx.identities().GetByName("svc-checkout");
  });
  for (const Identity& got : {by_id, by_name}) {
    EXPECT_EQ(got.id, identity.id);
    EXPECT_EQ(got.name, identity.name);
    EXPECT_EQ(got.kind, identity.kind);
    EXPECT_EQ(got.owner, identity.owner);
    EXPECT_EQ(got.application, identity.application);
    EXPECT_EQ(got.environment, identity.environment);
    EXPECT_EQ(got.business_function, identity.business_function);
    EXPECT_EQ(got.risk_tier, identity.risk_tier);
    EXPECT_EQ(got.risk_tier_declared, identity.risk_tier_declared);
    EXPECT_EQ(got.risk_reason, identity.risk_reason);
    EXPECT_EQ(got.auth_method, identity.auth_method);
    EXPECT_EQ(got.scopes, identity.scopes);
    EXPECT_EQ(got.rotation_days, identity.rotation_days);
    EXPECT_EQ(got.expires_at, identity.expires_at);
    EXPECT_EQ(got.justification, identity.justification);
    EXPECT_EQ(got.vendor, identity.vendor);
    EXPECT_EQ(got.tenant, identity.tenant);
    EXPECT_EQ(got.status, identity.status);
    EXPECT_EQ(got.status_reason, identity.status_reason);
    EXPECT_EQ(got.created_at, identity.created_at);
    EXPECT_EQ(got.updated_at, identity.updated_at);
    EXPECT_EQ(got.last_used_at, identity.last_used_at);
    EXPECT_EQ(got.version, identity.version);
  }
  Identity bare = MakeIdentity("svc-bare", "payments");
  InsertIdentities({bare});
  Identity got = ReadValue<Identity>(
      [&](Transaction& tx) { return tx.identities().Get(bare.id); });
  EXPECT_TRUE(got.scopes.empty());
  EXPECT_FALSE(got.rotation_days.has_value());
  EXPECT_FALSE(got.last_used_at.has_value());
  EXPECT_EQ(ReadStatus([](Transaction& tx) {
              return tx.identities().Get("nope").status();
            }).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(ReadStatus([](Transaction& tx) {
              return tx.identities().GetByName("nope").status();
            }).code(),
            StatusCode::kNotFound);
}

TEST_P(StoreTest, IdentityUniqueKeysAreAlreadyExists) {
  InsertTeam("payments");
  Identity first = MakeIdentity("svc-a", "payments");
  InsertIdentities({first});
  Identity same_name = MakeIdentity("svc-a", "payments");
  EXPECT_EQ(Write([&](Transaction& tx) {
              return tx.identities().Insert(same_name);
            }).code(),
            StatusCode::kAlreadyExists);
  Identity same_id = MakeIdentity("svc-b", "payments");
  same_id.id = first.id;
  EXPECT_EQ(Write([&](Transaction& tx) {
              return tx.identities().Insert(same_id);
            }).code(),
            StatusCode::kAlreadyExists);
  Identity other = MakeIdentity("svc-c", "payments");
  InsertIdentities({other});
  other.name = "svc-a";
  other.version = 2;
  EXPECT_EQ(Write([&](Transaction& tx) {
              return tx.identities().Update(other);
            }).code(),
            StatusCode::kAlreadyExists);
}

TEST_P(StoreTest, IdentityOwnerMustBeAnExistingTeam) {
  Status status = Write([](Transaction& tx) {
    return tx.identities().Insert(MakeIdentity("svc-a", "no-such-team"));
  });
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition)
      << status.ToString();
}

TEST_P(StoreTest, IdentityUpdateIsCompareAndSetOnVersion) {
  InsertTeam("payments");
  Identity identity = MakeIdentity("svc-a", "payments");
  InsertIdentities({identity});

  Identity next = identity;
  next.version = 2;
  next.status = IdentityStatus::kRevoked;
  ASSERT_TRUE(Write([&](Transaction& tx) {
                return tx.identities().Update(next);
              }).ok());
  // A second writer that read version 1 loses.
  Identity stale = identity;
  stale.version = 2;
  stale.application = "other";
  Status conflict =
      Write([&](Transaction& tx) { return tx.identities().Update(stale); });
  EXPECT_EQ(conflict.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(conflict.problem(), "version-conflict");
  Identity got = ReadValue<Identity>(
      [&](Transaction& tx) { return tx.identities().Get(identity.id); });
  EXPECT_EQ(got.version, 2);
  EXPECT_EQ(got.status, IdentityStatus::kRevoked);
  EXPECT_EQ(got.application, "checkout");

  Identity missing = MakeIdentity("svc-missing", "payments");
  missing.version = 2;
  EXPECT_EQ(Write([&](Transaction& tx) {
              return tx.identities().Update(missing);
            }).code(),
            StatusCode::kNotFound);
}

// A dataset varied in every filtered field.
std::vector<Identity> VariedIdentities(int n) {
  const IdentityKind kinds[] = {IdentityKind::kServiceAccount,
                                IdentityKind::kApiKey, IdentityKind::kToken,
                                IdentityKind::kWorkload};
  const Environment envs[] = {Environment::kDevelopment, Environment::kStaging,
                              Environment::kProduction};
  const RiskTier tiers[] = {RiskTier::kLow, RiskTier::kMedium, RiskTier::kHigh,
                            RiskTier::kCritical};
  const IdentityStatus statuses[] = {IdentityStatus::kActive,
                                     IdentityStatus::kSuspended,
                                     IdentityStatus::kRevoked};
  std::vector<Identity> out;
  for (int i = 0; i < n; ++i) {
    Identity identity = MakeIdentity(
        (i % 5 == 0 ? "Svc-Payments-" : "svc-other-") + std::to_string(i),
        i % 2 == 0 ? "payments" : "identity");
    identity.application = i % 3 == 0 ? "checkout" : "ledger";
    identity.kind = kinds[i % 4];
    identity.environment = envs[i % 3];
    identity.risk_tier = tiers[i % 4];
    identity.status = statuses[i % 3];
    identity.vendor = i % 7 == 0 ? "stripe" : "";
    identity.tenant = i % 4 == 1 ? "acme" : "";
    identity.expires_at = kT0 + std::chrono::hours(i);
    out.push_back(identity);
  }
  return out;
}

TEST_P(StoreTest, IdentityListHonoursEveryFilter) {
  InsertTeam("payments");
  InsertTeam("identity");
  std::vector<Identity> all = VariedIdentities(90);
  InsertIdentities(all);

  struct Case {
    std::string label;
    IdentityFilter filter;
    std::function<bool(const Identity&)> matches;
  };
  std::vector<Case> cases;
  auto add = [&](std::string label, auto set, auto pred) {
    Case c{std::move(label), {}, pred};
    set(c.filter);
    cases.push_back(std::move(c));
  };
  add(
      "none", [](IdentityFilter&) {}, [](const Identity&) { return true; });
  add(
      "owner", [](IdentityFilter& f) { f.owner = "payments"; },
      [](const Identity& i) { return i.owner == "payments"; });
  add(
      "application", [](IdentityFilter& f) { f.application = "ledger"; },
      [](const Identity& i) { return i.application == "ledger"; });
  add(
      "environment",
      [](IdentityFilter& f) { f.environment = Environment::kProduction; },
      [](const Identity& i) {
        return i.environment == Environment::kProduction;
      });
  add(
      "kind", [](IdentityFilter& f) { f.kind = IdentityKind::kApiKey; },
      [](const Identity& i) { return i.kind == IdentityKind::kApiKey; });
  add(
      "risk_tier", [](IdentityFilter& f) { f.risk_tier = RiskTier::kHigh; },
      [](const Identity& i) { return i.risk_tier == RiskTier::kHigh; });
  add(
      "status",
      [](IdentityFilter& f) { f.status = IdentityStatus::kSuspended; },
      [](const Identity& i) { return i.status == IdentityStatus::kSuspended; });
  add(
      "vendor", [](IdentityFilter& f) { f.vendor = "stripe"; },
      [](const Identity& i) { return i.vendor == "stripe"; });
  add(
      "tenant", [](IdentityFilter& f) { f.tenant = "acme"; },
      [](const Identity& i) { return i.tenant == "acme"; });
  add(
      "expiring_before",
      [](IdentityFilter& f) { f.expiring_before = kT0 + 30h; },
      [](const Identity& i) { return i.expires_at < kT0 + 30h; });
  add(
      "name_contains (any case)",
      [](IdentityFilter& f) { f.name_contains = "sVC-pAYMENTS"; },
      [](const Identity& i) { return i.name.starts_with("Svc-Payments-"); });
  add(
      "name_contains (wildcard characters are literal)",
      [](IdentityFilter& f) { f.name_contains = "%"; },
      [](const Identity&) { return false; });
  add(
      "owner + status",
      [](IdentityFilter& f) {
        f.owner = "identity";
        f.status = IdentityStatus::kActive;
      },
      [](const Identity& i) {
        return i.owner == "identity" && i.status == IdentityStatus::kActive;
      });
  add(
      "environment + kind",
      [](IdentityFilter& f) {
        f.environment = Environment::kStaging;
        f.kind = IdentityKind::kToken;
      },
      [](const Identity& i) {
        return i.environment == Environment::kStaging &&
               i.kind == IdentityKind::kToken;
      });

  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    std::vector<std::string> expected;
    for (const Identity& i : all) {
      if (c.matches(i)) expected.push_back(i.id);
    }
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(ListAllIds(c.filter, 4), expected);
    EXPECT_EQ(ListAllIds(c.filter, 500), expected);
  }
}

TEST_P(StoreTest, IdentityPaginationIsStableAcrossPages) {
  InsertTeam("payments");
  std::vector<Identity> all;
  for (int i = 0; i < 120; ++i) {
    all.push_back(MakeIdentity("svc-" + std::to_string(i), "payments"));
  }
  InsertIdentities(all);
  std::vector<std::string> expected;
  for (const Identity& i : all) expected.push_back(i.id);
  std::sort(expected.begin(), expected.end());

  // Rows inserted between pages with smaller ids must not shift later pages.
  std::vector<std::string> seen;
  PageRequest page{std::nullopt, 7};
  bool inserted_between = false;
  while (true) {
    Page<Identity> result = ReadValue<Page<Identity>>(
        [&](Transaction& tx) { return tx.identities().List({}, page); });
    for (const Identity& i : result.items) seen.push_back(i.id);
    if (!result.next_after_id) break;
    page.after_id = result.next_after_id;
    if (!inserted_between) {
      Identity early = MakeIdentity("svc-early", "payments");
      early.id = "00000000-0000-7000-8000-000000000000";
      InsertIdentities({early});
      inserted_between = true;
    }
  }
  EXPECT_EQ(seen, expected);
  std::set<std::string> unique(seen.begin(), seen.end());
  EXPECT_EQ(unique.size(), seen.size());
}

TEST_P(StoreTest, IdentityPageSizeIsClamped) {
  InsertTeam("payments");
  std::vector<Identity> all;
  for (int i = 0; i < 502; ++i) {
    all.push_back(MakeIdentity("svc-" + std::to_string(i), "payments"));
  }
  InsertIdentities(all);
  Page<Identity> huge = ReadValue<Page<Identity>>([](Transaction& tx) {
    return tx.identities().List({}, PageRequest{std::nullopt, 100000});
  });
  EXPECT_EQ(huge.items.size(), 500u);
  EXPECT_TRUE(huge.next_after_id.has_value());
  Page<Identity> zero = ReadValue<Page<Identity>>([](Transaction& tx) {
    return tx.identities().List({}, PageRequest{std::nullopt, 0});
  });
  EXPECT_EQ(zero.items.size(), 1u);
  Page<Identity> exact = ReadValue<Page<Identity>>([](Transaction& tx) {
    IdentityFilter filter;
    filter.name_contains = "svc-50";  // svc-50, svc-500, svc-501
    return tx.identities().List(filter, PageRequest{std::nullopt, 3});
  });
  EXPECT_EQ(exact.items.size(), 3u);
  EXPECT_FALSE(exact.next_after_id.has_value());
}

TEST_P(StoreTest, IdentityCountsExpiryAndUsage) {
  InsertTeam("payments");
  InsertTeam("identity");
  Identity expired = MakeIdentity("svc-expired", "payments");
  expired.expires_at = kT0 - 1h;
  Identity expired_revoked = MakeIdentity("svc-expired-revoked", "payments");
  expired_revoked.expires_at = kT0 - 1h;
  expired_revoked.status = IdentityStatus::kRevoked;
  Identity at_now = MakeIdentity("svc-at-now", "identity");
  at_now.expires_at = kT0;
  Identity future = MakeIdentity("svc-future", "payments");
  InsertIdentities({expired, expired_revoked, at_now, future});

  EXPECT_EQ(ReadValue<int64_t>([](Transaction& tx) {
              return tx.identities().CountByOwner("payments");
            }),
            3);
  EXPECT_EQ(ReadValue<int64_t>([](Transaction& tx) {
              return tx.identities().CountByOwner("nobody");
            }),
            0);
  auto due = ReadValue<std::vector<Identity>>([](Transaction& tx) {
    return tx.identities().ListExpiredActive(kT0, 10);
  });
  std::set<std::string> names;
  for (const Identity& i : due) names.insert(i.name);
  EXPECT_EQ(names, (std::set<std::string>{"svc-expired", "svc-at-now"}));
  EXPECT_EQ(ReadValue<std::vector<Identity>>([](Transaction& tx) {
              return tx.identities().ListExpiredActive(kT0, 1);
            }).size(),
            1u);

  ASSERT_TRUE(Write([&](Transaction& tx) {
                WARDEN_RETURN_IF_ERROR(
                    tx.identities().TouchLastUsed(future.id, kT0 + 10s));
                // Older usage never moves it back.
                WARDEN_RETURN_IF_ERROR(
                    tx.identities().TouchLastUsed(future.id, kT0 + 5s));
                return tx.identities().TouchLastUsed("missing-id", kT0);
              }).ok());
  Identity got = ReadValue<Identity>(
      [&](Transaction& tx) { return tx.identities().Get(future.id); });
  EXPECT_EQ(got.last_used_at, std::optional<Timestamp>(kT0 + 10s));
}

// ------------------------------------------- exceptions, users, tokens, kv

TEST_P(StoreTest, PolicyExceptionsCrud) {
  PolicyException a{"ex-a",
                    "svc-a",
                    std::string(kRuleExpiryBeyondPolicy),
                    "legacy",
                    "alice",
                    "",
                    ExceptionState::kPending,
                    kT0 + 48h,
                    kT0 + 2s,
                    std::nullopt};
  PolicyException b = a;
  b.id = "ex-b";
  b.identity_name = "svc-b";
  b.created_at = kT0 + 1s;
  PolicyException c = a;
  c.id = "ex-c";
  c.created_at = kT0 + 3s;
  ASSERT_TRUE(Write([&](Transaction& tx) {
                WARDEN_RETURN_IF_ERROR(tx.exceptions().Insert(a));
                WARDEN_RETURN_IF_ERROR(tx.exceptions().Insert(b));
                return tx.exceptions().Insert(c);
              }).ok());
  EXPECT_EQ(
      Write([&](Transaction& tx) { return tx.exceptions().Insert(a); }).code(),
      StatusCode::kAlreadyExists);

  a.state = ExceptionState::kApproved;
  a.approved_by = "bob";
  a.decided_at = kT0 + 10s;
  ASSERT_TRUE(
      Write([&](Transaction& tx) { return tx.exceptions().Update(a); }).ok());
  PolicyException got = ReadValue<PolicyException>(
      [](Transaction& tx) { return tx.exceptions().Get("ex-a"); });
  EXPECT_EQ(got.identity_name, "svc-a");
  EXPECT_EQ(got.rule, kRuleExpiryBeyondPolicy);
  EXPECT_EQ(got.justification, "legacy");
  EXPECT_EQ(got.requested_by, "alice");
  EXPECT_EQ(got.approved_by, "bob");
  EXPECT_EQ(got.state, ExceptionState::kApproved);
  EXPECT_EQ(got.expires_at, kT0 + 48h);
  EXPECT_EQ(got.created_at, kT0 + 2s);
  EXPECT_EQ(got.decided_at, std::optional<Timestamp>(kT0 + 10s));

  auto all = ReadValue<std::vector<PolicyException>>(
      [](Transaction& tx) { return tx.exceptions().List(""); });
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].id, "ex-b");  // ordered by created_at
  EXPECT_EQ(all[1].id, "ex-a");
  EXPECT_EQ(all[2].id, "ex-c");
  auto for_a = ReadValue<std::vector<PolicyException>>(
      [](Transaction& tx) { return tx.exceptions().List("svc-a"); });
  ASSERT_EQ(for_a.size(), 2u);
  EXPECT_EQ(for_a[0].id, "ex-a");
  PolicyException ghost = a;
  ghost.id = "ex-ghost";
  EXPECT_EQ(Write([&](Transaction& tx) {
              return tx.exceptions().Update(ghost);
            }).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(ReadStatus([](Transaction& tx) {
              return tx.exceptions().Get("ex-ghost").status();
            }).code(),
            StatusCode::kNotFound);
}

TEST_P(StoreTest, UsersCrud) {
  User user{
      "alice", "alice@example.com", Role::kAppOwner, "payments", false, kT0,
      kT0};
  User bob{"bob", "bob@example.com", Role::kAdmin, "", false, kT0, kT0};
  ASSERT_TRUE(Write([&](Transaction& tx) {
                WARDEN_RETURN_IF_ERROR(tx.users().Insert(user));
                return tx.users().Insert(bob);
              }).ok());
  EXPECT_EQ(
      Write([&](Transaction& tx) { return tx.users().Insert(user); }).code(),
      StatusCode::kAlreadyExists);
  user.disabled = true;
  user.role = Role::kAuditor;
  user.updated_at = kT0 + 1s;
  ASSERT_TRUE(
      Write([&](Transaction& tx) { return tx.users().Update(user); }).ok());
  User got =
      ReadValue<User>([](Transaction& tx) { return tx.users().Get("alice"); });
  EXPECT_EQ(got.email, "alice@example.com");
  EXPECT_EQ(got.role, Role::kAuditor);
  EXPECT_EQ(got.team, "payments");
  EXPECT_TRUE(got.disabled);
  EXPECT_EQ(got.updated_at, kT0 + 1s);
  auto users = ReadValue<std::vector<User>>(
      [](Transaction& tx) { return tx.users().List(); });
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(users[0].name, "alice");
  EXPECT_EQ(users[1].name, "bob");
  User ghost = bob;
  ghost.name = "ghost";
  EXPECT_EQ(
      Write([&](Transaction& tx) { return tx.users().Update(ghost); }).code(),
      StatusCode::kNotFound);
}

TEST_P(StoreTest, ApiTokensCrudAndSecretHashIsUnique) {
  ApiToken token;
  token.id = "tok-b";
  token.secret_hash = std::string(64, 'a');
  token.user = "alice";
  token.role = Role::kSdk;
  token.environment = Environment::kStaging;
  token.tenant = "acme";
  token.description = "ci";
  token.created_by = "admin";
  token.created_at = kT0;
  token.expires_at = kT0 + 24h;
  ApiToken other = token;
  other.id = "tok-a";
  other.secret_hash = std::string(64, 'b');
  other.environment.reset();
  other.role = Role::kAdmin;
  ASSERT_TRUE(Write([&](Transaction& tx) {
                WARDEN_RETURN_IF_ERROR(tx.api_tokens().Insert(token));
                return tx.api_tokens().Insert(other);
              }).ok());
  ApiToken clash = token;
  clash.id = "tok-c";
  EXPECT_EQ(Write([&](Transaction& tx) {
              return tx.api_tokens().Insert(clash);
            }).code(),
            StatusCode::kAlreadyExists);

  ApiToken got = ReadValue<ApiToken>([](Transaction& tx) {
    return tx.api_tokens().GetBySecretHash(std::string(64, 'a'));
  });
  EXPECT_EQ(got.id, "tok-b");
  EXPECT_EQ(got.role, Role::kSdk);
  EXPECT_EQ(got.environment, std::optional<Environment>(Environment::kStaging));
  EXPECT_EQ(got.tenant, "acme");
  EXPECT_FALSE(got.revoked_at.has_value());

  token.revoked_at = kT0 + 1h;
  token.last_used_at = kT0 + 30min;
  ASSERT_TRUE(Write([&](Transaction& tx) {
                return tx.api_tokens().Update(token);
              }).ok());
  got = ReadValue<ApiToken>(
      [](Transaction& tx) { return tx.api_tokens().Get("tok-b"); });
  EXPECT_EQ(got.revoked_at, std::optional<Timestamp>(kT0 + 1h));
  EXPECT_EQ(got.last_used_at, std::optional<Timestamp>(kT0 + 30min));
  auto tokens = ReadValue<std::vector<ApiToken>>(
      [](Transaction& tx) { return tx.api_tokens().List(); });
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0].id, "tok-a");
  EXPECT_FALSE(tokens[0].environment.has_value());
  EXPECT_EQ(ReadStatus([](Transaction& tx) {
              return tx.api_tokens().GetBySecretHash("nope").status();
            }).code(),
            StatusCode::kNotFound);
}

TEST_P(StoreTest, AssertionJtisRefuseReplaysUntilTheyExpire) {
  auto record = [&](std::string client, std::string jti, Timestamp now) {
    return Write([&](Transaction& tx) {
      return tx.oauth().RecordAssertionJti(client, jti, kT0 + 5min, now);
    });
  };
  ASSERT_TRUE(record("client-a", "jti-1", kT0).ok());
  EXPECT_EQ(record("client-a", "jti-1", kT0 + 1min).code(),
            StatusCode::kAlreadyExists);
  // Another client may use the same jti.
  EXPECT_TRUE(record("client-b", "jti-1", kT0 + 1min).ok());
  // Once expired, the record is dropped (and the jti would be refused by
  // the assertion's own expiry anyway).
  EXPECT_TRUE(record("client-a", "jti-1", kT0 + 5min).ok());
}

TEST_P(StoreTest, SettingsPutOverwrites) {
  EXPECT_FALSE(ReadValue<std::optional<std::string>>([](Transaction& tx) {
                 return tx.settings().Get("bootstrap");
               }).has_value());
  ASSERT_TRUE(Write([](Transaction& tx) {
                WARDEN_RETURN_IF_ERROR(tx.settings().Put("bootstrap", "1"));
                return tx.settings().Put("bootstrap", "done");
              }).ok());
  EXPECT_EQ(ReadValue<std::optional<std::string>>(
                [](Transaction& tx) { return tx.settings().Get("bootstrap"); }),
            std::optional<std::string>("done"));
}

// --------------------------------------------------------------- audit log

// The whole log, oldest first, checking the chain: gapless sequences, each
// prev_hash the previous hash, each hash recomputable.
std::vector<AuditRecord> ReadVerifiedChain(Store& store) {
  std::vector<AuditRecord> chain;
  Status status = store.Read([&](Transaction& tx) {
    AuditFilter filter;
    filter.limit = 1000;
    while (true) {
      filter.after_sequence = chain.empty() ? 0 : chain.back().sequence;
      WARDEN_ASSIGN_OR_RETURN(auto page, tx.audit().Query(filter));
      if (page.empty()) return Status::Ok();
      chain.insert(chain.end(), page.begin(), page.end());
    }
  });
  EXPECT_TRUE(status.ok()) << status.ToString();
  std::string prev = kAuditGenesisHash;
  for (size_t i = 0; i < chain.size(); ++i) {
    const AuditRecord& r = chain[i];
    EXPECT_EQ(r.sequence, static_cast<int64_t>(i + 1));
    EXPECT_EQ(r.prev_hash, prev) << "at sequence " << r.sequence;
    EXPECT_EQ(r.hash, AuditRecordHash(r.sequence, r.event, r.prev_hash));
    prev = r.hash;
  }
  return chain;
}

TEST_P(StoreTest, AuditAppendBuildsAHashChain) {
  EXPECT_FALSE(ReadValue<std::optional<AuditRecord>>([](Transaction& tx) {
                 return tx.audit().Head();
               }).has_value());
  AuditRecord first;
  ASSERT_TRUE(Write([&](Transaction& tx) {
                WARDEN_ASSIGN_OR_RETURN(
                    first, tx.audit().Append(MakeEvent("team.create", "alice",
                                                       "team/payments")));
                return Status::Ok();
              }).ok());
  EXPECT_EQ(first.sequence, 1);
  EXPECT_EQ(first.prev_hash, kAuditGenesisHash);
  ASSERT_TRUE(Write([](Transaction& tx) {
                for (int i = 0; i < 3; ++i) {
                  WARDEN_RETURN_IF_ERROR(
                      tx.audit()
                          .Append(MakeEvent("identity.create", "bob",
                                            "identity/" + std::to_string(i)))
                          .status());
                }
                return Status::Ok();
              }).ok());
  std::vector<AuditRecord> chain = ReadVerifiedChain(*store_);
  ASSERT_EQ(chain.size(), 4u);
  EXPECT_EQ(chain[0].hash, first.hash);
  EXPECT_EQ(chain[0].event.details, R"({"k":1})");
  EXPECT_EQ(chain[0].event.outcome, "ok");
  EXPECT_EQ(chain[0].event.time, kT0);
  auto head = ReadValue<std::optional<AuditRecord>>(
      [](Transaction& tx) { return tx.audit().Head(); });
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->sequence, 4);
  EXPECT_EQ(head->hash, chain[3].hash);
}

TEST_P(StoreTest, AuditScanVisitsARangeInOrderAndCanStopEarly) {
  ASSERT_TRUE(Write([](Transaction& tx) {
                for (int i = 0; i < 5; ++i) {
                  WARDEN_RETURN_IF_ERROR(
                      tx.audit()
                          .Append(MakeEvent("identity.create", "bob",
                                            "identity/" + std::to_string(i)))
                          .status());
                }
                return Status::Ok();
              }).ok());
  const std::vector<AuditRecord> chain = ReadVerifiedChain(*store_);
  auto scan = [&](int64_t first, int64_t last, int stop_after) {
    std::vector<AuditRecord> seen;
    EXPECT_TRUE(store_
                    ->Read([&](Transaction& tx) {
                      return tx.audit().Scan(
                          first, last, [&](const AuditRecordView& view) {
                            AuditRecord copy;
                            copy.sequence = view.sequence;
                            copy.event.target = std::string(view.target);
                            copy.prev_hash = std::string(view.prev_hash);
                            copy.hash = std::string(view.hash);
                            EXPECT_EQ(view.time_us, ToMicros(kT0));
                            EXPECT_EQ(view.format,
                                      static_cast<int>(chain[0].format));
                            seen.push_back(std::move(copy));
                            return static_cast<int>(seen.size()) < stop_after;
                          });
                    })
                    .ok());
    return seen;
  };
  std::vector<AuditRecord> middle = scan(2, 4, 100);
  ASSERT_EQ(middle.size(), 3u);
  for (size_t i = 0; i < middle.size(); ++i) {
    EXPECT_EQ(middle[i].sequence, chain[i + 1].sequence);
    EXPECT_EQ(middle[i].event.target, chain[i + 1].event.target);
    EXPECT_EQ(middle[i].prev_hash, chain[i + 1].prev_hash);
    EXPECT_EQ(middle[i].hash, chain[i + 1].hash);
  }
  EXPECT_EQ(scan(1, 5, 2).size(), 2u);
  EXPECT_TRUE(scan(6, 100, 100).empty());
}

TEST_P(StoreTest, AuditPruneMovesTheAnchorByCompareAndSet) {
  ASSERT_TRUE(Write([](Transaction& tx) {
                for (int i = 0; i < 5; ++i) {
                  WARDEN_RETURN_IF_ERROR(
                      tx.audit()
                          .Append(MakeEvent("identity.create", "bob",
                                            "identity/" + std::to_string(i)))
                          .status());
                }
                return Status::Ok();
              }).ok());
  const std::vector<AuditRecord> chain = ReadVerifiedChain(*store_);
  EXPECT_FALSE(ReadValue<std::optional<AuditAnchorRecord>>([](Transaction& tx) {
                 return tx.audit().Anchor();
               }).has_value());
  AuditAnchorRecord anchor;
  anchor.sequence = 2;
  anchor.hash = chain[1].hash;
  anchor.format = static_cast<int>(chain[1].format);
  anchor.time_us = ToMicros(kT0);
  anchor.key_id = "0123456789abcdef";
  anchor.signature = std::string(64, '\x7f');
  int64_t deleted = 0;
  ASSERT_TRUE(Write([&](Transaction& tx) -> Status {
                WARDEN_ASSIGN_OR_RETURN(deleted, tx.audit().Prune(0, anchor));
                return tx.audit()
                    .Append(MakeEvent("audit.archive", "system", "audit"))
                    .status();
              }).ok());
  EXPECT_EQ(deleted, 2);
  auto stored = ReadValue<std::optional<AuditAnchorRecord>>(
      [](Transaction& tx) { return tx.audit().Anchor(); });
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->sequence, 2);
  EXPECT_EQ(stored->hash, chain[1].hash);
  EXPECT_EQ(stored->format, anchor.format);
  EXPECT_EQ(stored->time_us, anchor.time_us);
  EXPECT_EQ(stored->key_id, anchor.key_id);
  EXPECT_EQ(stored->signature, anchor.signature);
  auto head = ReadValue<std::optional<AuditRecord>>(
      [](Transaction& tx) { return tx.audit().Head(); });
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->sequence, 6);
  EXPECT_EQ(head->prev_hash, chain[4].hash);
  // A second pruner that read no anchor loses; one naming a record by the
  // wrong hash, or the head, is refused.
  anchor.sequence = 4;
  anchor.hash = chain[3].hash;
  Status stale = Write(
      [&](Transaction& tx) { return tx.audit().Prune(0, anchor).status(); });
  EXPECT_EQ(stale.problem(), "audit-anchor-conflict");
  anchor.hash = chain[2].hash;
  Status wrong = Write(
      [&](Transaction& tx) { return tx.audit().Prune(2, anchor).status(); });
  EXPECT_EQ(wrong.problem(), "audit-anchor-mismatch");
  anchor.sequence = 6;
  anchor.hash = head->hash;
  Status at_head = Write(
      [&](Transaction& tx) { return tx.audit().Prune(2, anchor).status(); });
  EXPECT_EQ(at_head.problem(), "audit-anchor-mismatch");
  anchor.sequence = 4;
  anchor.hash = chain[3].hash;
  ASSERT_TRUE(Write([&](Transaction& tx) {
                return tx.audit().Prune(2, anchor).status();
              }).ok());
  EXPECT_EQ(ReadValue<std::optional<AuditAnchorRecord>>([](Transaction& tx) {
              return tx.audit().Anchor();
            })->sequence,
            4);
}

TEST_P(StoreTest, AuditQueryHonoursEveryFilter) {
  ASSERT_TRUE(Write([](Transaction& tx) {
                const char* actions[] = {"identity.create", "identity.revoke",
                                         "team.create", "identityx.other"};
                for (int i = 0; i < 20; ++i) {
                  AuditEvent event =
                      MakeEvent(actions[i % 4], i % 2 == 0 ? "alice" : "bob",
                                "target/" + std::to_string(i % 5),
                                kT0 + std::chrono::seconds(i));
                  WARDEN_RETURN_IF_ERROR(tx.audit().Append(event).status());
                }
                return Status::Ok();
              }).ok());
  auto query = [&](const AuditFilter& filter) {
    std::vector<int64_t> sequences;
    for (const AuditRecord& r : ReadValue<std::vector<AuditRecord>>(
             [&](Transaction& tx) { return tx.audit().Query(filter); })) {
      sequences.push_back(r.sequence);
    }
    return sequences;
  };
  AuditFilter f;
  f.actor = "bob";
  EXPECT_EQ(query(f),
            (std::vector<int64_t>{2, 4, 6, 8, 10, 12, 14, 16, 18, 20}));
  f = {};
  f.action = "team.create";
  EXPECT_EQ(query(f), (std::vector<int64_t>{3, 7, 11, 15, 19}));
  f = {};
  f.action = "identity.*";  // prefix: not "identityx.other"
  EXPECT_EQ(query(f),
            (std::vector<int64_t>{1, 2, 5, 6, 9, 10, 13, 14, 17, 18}));
  f = {};
  f.action = "identity.";  // no star: exact, matches nothing
  EXPECT_TRUE(query(f).empty());
  f = {};
  f.target = "target/3";
  EXPECT_EQ(query(f), (std::vector<int64_t>{4, 9, 14, 19}));
  f = {};
  f.since = kT0 + 5s;
  f.until = kT0 + 8s;
  EXPECT_EQ(query(f), (std::vector<int64_t>{6, 7, 8}));
  f = {};
  f.after_sequence = 17;
  EXPECT_EQ(query(f), (std::vector<int64_t>{18, 19, 20}));
  f = {};
  f.limit = 3;
  f.newest_first = true;
  EXPECT_EQ(query(f), (std::vector<int64_t>{20, 19, 18}));
  f = {};
  f.actor = "alice";
  f.action = "identity.*";
  f.newest_first = true;
  f.limit = 2;
  EXPECT_EQ(query(f), (std::vector<int64_t>{17, 13}));
}

TEST_P(StoreTest, AuditQueryLimitIsCapped) {
  ASSERT_TRUE(Write([](Transaction& tx) {
                for (int i = 0; i < 1005; ++i) {
                  WARDEN_RETURN_IF_ERROR(
                      tx.audit().Append(MakeEvent("a", "b", "c")).status());
                }
                return Status::Ok();
              }).ok());
  AuditFilter filter;
  filter.limit = 1'000'000;
  EXPECT_EQ(ReadValue<std::vector<AuditRecord>>([&](Transaction& tx) {
              return tx.audit().Query(filter);
            }).size(),
            1000u);
  EXPECT_EQ(ReadVerifiedChain(*store_).size(), 1005u);
}

// ------------------------------------------- units, batches, transactions

TEST_P(StoreTest, FailedUnitIsRolledBackAloneAmongConcurrentWriters) {
  constexpr int kThreads = 16;
  constexpr int kUnitsPerThread = 25;
  std::atomic<int> unexpected{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int u = 0; u < kUnitsPerThread; ++u) {
        const std::string name =
            "team-" + std::to_string(t) + "-" + std::to_string(u);
        const bool fail = (t + u) % 3 == 0;
        Status status = store_->Write([&](Transaction& tx) {
          WARDEN_RETURN_IF_ERROR(tx.teams().Insert(MakeTeam(name, {"m"})));
          WARDEN_RETURN_IF_ERROR(
              tx.audit().Append(MakeEvent("team.create", "t", name)).status());
          if (fail) return InvalidArgument("unit " + name + " gives up");
          return Status::Ok();
        });
        bool as_expected =
            fail ? status.code() == StatusCode::kInvalidArgument &&
                       status.message() == "unit " + name + " gives up"
                 : status.ok();
        if (!as_expected) ++unexpected;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(unexpected.load(), 0);

  auto teams = ReadValue<std::vector<Team>>(
      [](Transaction& tx) { return tx.teams().List(); });
  std::set<std::string> names;
  for (const Team& team : teams) names.insert(team.name);
  std::vector<AuditRecord> chain = ReadVerifiedChain(*store_);
  std::set<std::string> audited;
  for (const AuditRecord& r : chain) audited.insert(r.event.target);
  int expected = 0;
  for (int t = 0; t < kThreads; ++t) {
    for (int u = 0; u < kUnitsPerThread; ++u) {
      const std::string name =
          "team-" + std::to_string(t) + "-" + std::to_string(u);
      const bool committed = (t + u) % 3 != 0;
      expected += committed;
      EXPECT_EQ(names.count(name), committed ? 1u : 0u) << name;
      EXPECT_EQ(audited.count(name), committed ? 1u : 0u) << name;
    }
  }
  EXPECT_EQ(teams.size(), static_cast<size_t>(expected));
  EXPECT_EQ(chain.size(), static_cast<size_t>(expected));
}

TEST_P(StoreTest, UnitErrorsAndExceptionsComeBackAsStatus) {
  Status own = Write([](Transaction&) {
    return FailedPrecondition("exact message", "exact-problem");
  });
  EXPECT_EQ(own.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(own.message(), "exact message");
  EXPECT_EQ(own.problem(), "exact-problem");
  Status thrown = Write([](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(tx.teams().Insert(MakeTeam("payments")));
    throw std::runtime_error("boom");
  });
  EXPECT_EQ(thrown.code(), StatusCode::kInternal);
  EXPECT_EQ(ReadStatus([](Transaction& tx) {
              return tx.teams().Get("payments").status();
            }).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(Read([](Transaction&) -> Status {
              throw std::runtime_error("boom");
            }).code(),
            StatusCode::kInternal);
}

TEST_P(StoreTest, ReadTransactionsRefuseWrites) {
  InsertTeam("payments");
  Identity identity = MakeIdentity("svc-a", "payments");
  InsertIdentities({identity});
  std::vector<std::function<Status(Transaction&)>> writes = {
      [](Transaction& tx) { return tx.teams().Insert(MakeTeam("x")); },
      [](Transaction& tx) { return tx.teams().Update(MakeTeam("payments")); },
      [](Transaction& tx) { return tx.teams().Delete("payments"); },
      [](Transaction& tx) {
        return tx.identities().Insert(MakeIdentity("svc-b", "payments"));
      },
      [&](Transaction& tx) {
        Identity next = identity;
        next.version = 2;
        return tx.identities().Update(next);
      },
      [&](Transaction& tx) {
        return tx.identities().TouchLastUsed(identity.id, kT0 + 1h);
      },
      [](Transaction& tx) { return tx.exceptions().Insert({}); },
      [](Transaction& tx) { return tx.exceptions().Update({}); },
      [](Transaction& tx) { return tx.users().Insert({}); },
      [](Transaction& tx) { return tx.users().Update({}); },
      [](Transaction& tx) { return tx.api_tokens().Insert({}); },
      [](Transaction& tx) { return tx.api_tokens().Update({}); },
      [](Transaction& tx) {
        return tx.audit().Append(MakeEvent("a", "b", "c")).status();
      },
      [](Transaction& tx) { return tx.settings().Put("k", "v"); },
  };
  for (size_t i = 0; i < writes.size(); ++i) {
    EXPECT_EQ(Read(writes[i]).code(), StatusCode::kInternal) << "write " << i;
  }
  EXPECT_EQ(ReadValue<std::vector<Team>>([](Transaction& tx) {
              return tx.teams().List();
            }).size(),
            1u);
  EXPECT_EQ(ReadValue<Identity>([&](Transaction& tx) {
              return tx.identities().Get(identity.id);
            }).version,
            1);
  EXPECT_TRUE(ReadVerifiedChain(*store_).empty());
}

TEST_P(StoreTest, ReadsRunConcurrentlyWithWrites) {
  InsertTeam("payments");
  std::atomic<bool> stop{false};
  std::atomic<int> bad_reads{0};
  std::thread reader([&] {
    while (!stop) {
      Status status = store_->Read([&](Transaction& tx) {
        // One snapshot: the count and the list agree.
        WARDEN_ASSIGN_OR_RETURN(int64_t count,
                                tx.identities().CountByOwner("payments"));
        WARDEN_ASSIGN_OR_RETURN(
            auto page,
            tx.identities().List({}, PageRequest{std::nullopt, 500}));
        if (static_cast<int64_t>(page.items.size()) != count) ++bad_reads;
        return Status::Ok();
      });
      if (!status.ok()) ++bad_reads;
    }
  });
  for (int i = 0; i < 50; ++i) {
    InsertIdentities({MakeIdentity("svc-" + std::to_string(i), "payments")});
  }
  stop = true;
  reader.join();
  EXPECT_EQ(bad_reads.load(), 0);
}

TEST_P(StoreTest, CloseIsIdempotentAndRefusesLaterWork) {
  InsertTeam("payments");
  EXPECT_TRUE(store_->Healthy());
  store_->Close();
  store_->Close();
  EXPECT_FALSE(store_->Healthy());
  EXPECT_EQ(Write([](Transaction& tx) {
              return tx.teams().Insert(MakeTeam("late"));
            }).code(),
            StatusCode::kUnavailable);
  EXPECT_EQ(Read([](Transaction&) { return Status::Ok(); }).code(),
            StatusCode::kUnavailable);
}

TEST_P(StoreTest, NestedWriteIsRefused) {
  Status inner;
  Status outer = Write([&](Transaction&) {
    inner = store_->Write([](Transaction&) { return Status::Ok(); });
    return Status::Ok();
  });
  EXPECT_TRUE(outer.ok());
  EXPECT_EQ(inner.code(), StatusCode::kInternal);
}

INSTANTIATE_TEST_SUITE_P(Implementations, StoreTest,
                         testing::ValuesIn(StoreImplementations()),
                         StoreImplementationName);

}  // namespace
}  // namespace warden
