// The SQLite side of name search: the trigram expression, the two query
// plans answering alike, the choice between them, the FTS5 index staying
// exact through inserts, renames and deletes, the migration indexing the
// identities already stored, and the query plans of search and of the
// tier + expiry filter.
#include "store/sql/identity_name_search.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/id.h"
#include "store/sql/identity_query.h"
#include "store/sql/query.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/sqlite_connection.h"
#include "store/sqlite/sqlite_store.h"

namespace warden::sql {
namespace {

using sqlite::LatestSchemaVersion;
using sqlite::MigrateSchema;
using sqlite::SqliteConnection;

using namespace std::chrono_literals;

const Timestamp kT0 = FromMicros(1'760'000'000'000'000);

TEST(TrigramMatchExpressionTest, QuotesEveryDistinctTrigram) {
  EXPECT_EQ(TrigramMatchExpression("abcd"), "\"abc\" AND \"bcd\"");
  EXPECT_EQ(TrigramMatchExpression("aaaa"), "\"aaa\"");
  EXPECT_EQ(TrigramMatchExpression("a\"b"), "\"a\"\"b\"");
  EXPECT_EQ(TrigramMatchExpression("x AND y"),
            "\" AN\" AND \"AND\" AND \"D y\" AND \"ND \" AND \"x A\"");
}

TEST(TrigramMatchExpressionTest, NeedleTrigramsKeepNeedleOrder) {
  EXPECT_EQ(NeedleTrigrams("zyxzyx"),
            (std::vector<std::string>{"zyx", "yxz", "xzy"}));
}

TEST(TrigramMatchExpressionTest, CountsCharactersNotBytes) {
  EXPECT_EQ(TrigramMatchExpression("äü"), std::nullopt);  // 4 bytes
  EXPECT_EQ(TrigramMatchExpression("äüö"), "\"äüö\"");
  EXPECT_EQ(TrigramMatchExpression("a€𝄞b"), "\"a€𝄞\" AND \"€𝄞b\"");
}

TEST(TrigramMatchExpressionTest, LeavesWhatHasNoTrigramToTheScan) {
  EXPECT_EQ(TrigramMatchExpression(""), std::nullopt);
  EXPECT_EQ(TrigramMatchExpression("ab"), std::nullopt);
  EXPECT_EQ(TrigramMatchExpression(std::string("ab\0c", 4)), std::nullopt);
  EXPECT_EQ(TrigramMatchExpression("ab\xC3"), std::nullopt);  // truncated
  EXPECT_EQ(TrigramMatchExpression("a\xC0\xAF"
                                   "bc"),
            std::nullopt);  // overlong
  EXPECT_EQ(TrigramMatchExpression("a\xED\xA0\x80"
                                   "bc"),
            std::nullopt);
  EXPECT_EQ(TrigramMatchExpression("ab\x80"
                                   "cd"),
            std::nullopt);
}

class IdentityNameIndexTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = testing::TempDir() + "warden_name_search_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    path_ = dir_ + "/warden.db";
    OpenStore();
    Team team;
    team.name = "payments";
    team.created_at = team.updated_at = kT0;
    ASSERT_TRUE(
        store_->Write([&](Transaction& tx) { return tx.teams().Insert(team); })
            .ok());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  void OpenStore() {
    store_.reset();
    SqliteStoreOptions options;
    options.path = path_;
    auto store = OpenSqliteStore(options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }

  static Identity MakeIdentity(const std::string& name, int i) {
    Identity identity;
    identity.id = NewId(kT0);
    identity.name = name;
    identity.owner = "payments";
    identity.application = "checkout";
    identity.auth_method = "oidc";
    identity.risk_tier = i % 2 == 0 ? RiskTier::kCritical : RiskTier::kLow;
    identity.created_at = identity.updated_at = kT0;
    identity.expires_at = kT0 + std::chrono::hours(i);
    return identity;
  }

  std::vector<Identity> InsertNamed(const std::string& prefix, int n) {
    std::vector<Identity> identities;
    for (int i = 0; i < n; ++i) {
      identities.push_back(MakeIdentity(prefix + std::to_string(i), i));
    }
    Status status = store_->Write([&](Transaction& tx) {
      for (const Identity& identity : identities) {
        WARDEN_RETURN_IF_ERROR(tx.identities().Insert(identity));
      }
      return Status::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return identities;
  }

  std::unique_ptr<sql::Connection> Raw() {
    SqliteConnection::Options options;
    options.path = path_;
    auto connection = SqliteConnection::Open(options);
    EXPECT_TRUE(connection.ok()) << connection.status().ToString();
    return connection.ok() ? std::move(connection).value() : nullptr;
  }

  // Column `column` of every row of `sql`, as text.
  std::vector<std::string> Column(const std::string& sql, int column = 0) {
    auto connection = Raw();
    auto rows =
        QueryRows(*connection, sql, "test query",
                  [column](const sql::Statement& s) { return s.Text(column); });
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? *rows : std::vector<std::string>{};
  }

  // FTS5's own check of the index against the identities table.
  Status IntegrityCheck() {
    return Raw()->Exec(std::string("INSERT INTO ") + kIdentityNameTrigrams +
                           "(" + kIdentityNameTrigrams +
                           ", rank) VALUES ('integrity-check', 1)",
                       "fts5 integrity-check");
  }

  // Every page of `filter` through the SQL of `plan`, run directly.
  std::vector<std::string> PagesOf(const IdentityFilter& filter,
                                   const NameSearch& search, int page_size) {
    auto connection = Raw();
    std::vector<std::string> ids;
    PageRequest page{std::nullopt, page_size};
    while (true) {
      SqlQuery query = BuildIdentityListQuery(filter, page, search);
      auto rows = QueryRows(
          *connection, query.sql, "list page",
          [](const sql::Statement& s) { return s.Text(0); }, query.params);
      EXPECT_TRUE(rows.ok()) << rows.status().ToString();
      if (!rows.ok()) return ids;
      bool more = rows->size() > static_cast<size_t>(page_size);
      if (more) rows->pop_back();
      ids.insert(ids.end(), rows->begin(), rows->end());
      if (!more) return ids;
      page.after_id = ids.back();
    }
  }

  std::vector<std::string> ListIds(const std::string& needle) {
    IdentityFilter filter;
    filter.name_contains = needle;
    std::vector<std::string> ids;
    Status status = store_->Read([&](Transaction& tx) {
      auto page = tx.identities().List(filter, PageRequest{std::nullopt, 500});
      if (!page.ok()) return page.status();
      for (const Identity& identity : page->items) ids.push_back(identity.id);
      return Status::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return ids;
  }

  std::string dir_;
  std::string path_;
  std::unique_ptr<Store> store_;
};

TEST_F(IdentityNameIndexTest, BothPlansAnswerEveryPageAlike) {
  InsertNamed("svc-Pay-", 60);
  InsertNamed("ledger-", 40);
  for (const char* needle :
       {"pay", "SVC-PAY-1", "-1", "dger-3", "y-5", "zzz", "Y"}) {
    for (bool tier_expiry : {false, true}) {
      SCOPED_TRACE(std::string(needle) + (tier_expiry ? " tier+expiry" : ""));
      IdentityFilter filter;
      filter.name_contains = needle;
      if (tier_expiry) {
        filter.risk_tier = RiskTier::kCritical;
        filter.expiring_before = kT0 + 30h;
      }
      std::vector<std::string> scan = PagesOf(filter, NameSearch{}, 4);
      EXPECT_EQ(PagesOf(filter, NameSearch{}, 500), scan);
      std::vector<std::string> trigrams = NeedleTrigrams(needle);
      if (trigrams.empty()) continue;  // the scan's alone
      const NameSearch every{NamePlan::kTrigramCandidates,
                             MatchEveryTrigram(trigrams)};
      EXPECT_EQ(PagesOf(filter, every, 4), scan);
      EXPECT_EQ(PagesOf(filter, every, 500), scan);
      // Any subset of the trigrams narrows to a superset: same answer.
      const NameSearch last{NamePlan::kTrigramCandidates,
                            MatchEveryTrigram({trigrams.back()})};
      EXPECT_EQ(PagesOf(filter, last, 4), scan);
    }
  }
}

TEST_F(IdentityNameIndexTest, ChoosesTheScanWhenCandidatesAreMany) {
  InsertNamed("svc-", kMaxTrigramCandidates + 1);
  auto connection = Raw();
  auto search_of = [&](const std::string& needle) {
    IdentityFilter filter;
    filter.name_contains = needle;
    auto search = ChooseNameSearch(*connection, filter);
    EXPECT_TRUE(search.ok()) << search.status().ToString();
    return search.ok() ? *search : NameSearch{};
  };
  EXPECT_EQ(search_of("svc").plan, NamePlan::kScanInIdOrder);  // every name
  EXPECT_EQ(search_of("12").plan, NamePlan::kScanInIdOrder);   // no trigram
  // "vc-" is on every name: matching it would narrow nothing.
  NameSearch selective = search_of("vc-42");
  EXPECT_EQ(selective.plan, NamePlan::kTrigramCandidates);
  EXPECT_EQ(selective.match, "\"c-4\" AND \"-42\"");
  NameSearch absent = search_of("nothing");
  EXPECT_EQ(absent.plan, NamePlan::kTrigramCandidates);
  EXPECT_EQ(absent.match, MatchEveryTrigram(NeedleTrigrams("nothing")));
  auto unfiltered = ChooseNameSearch(*connection, {});
  ASSERT_TRUE(unfiltered.ok());
  EXPECT_EQ(unfiltered->plan, NamePlan::kScanInIdOrder);
  // Either way the page is the first 500 matches in id order.
  EXPECT_EQ(ListIds("svc").size(), 500u);
  EXPECT_EQ(ListIds("Vc-4242").size(), 1u);
}

TEST_F(IdentityNameIndexTest, StaysExactThroughInsertRenameAndDelete) {
  std::vector<Identity> identities = InsertNamed("svc-", 20);
  Identity renamed = identities[3];
  renamed.name = "renamed-Thing";
  renamed.version = 2;
  ASSERT_TRUE(store_
                  ->Write([&](Transaction& tx) {
                    return tx.identities().Update(renamed);
                  })
                  .ok());
  // The store has no identity delete; other writers (and PostgreSQL's
  // cascade) may, so the index follows a DELETE too.
  ASSERT_TRUE(Raw()
                  ->Exec("DELETE FROM identities WHERE name = 'svc-7'",
                         "delete an identity")
                  .ok());
  EXPECT_TRUE(IntegrityCheck().ok()) << IntegrityCheck().ToString();
  EXPECT_EQ(ListIds("Thing"), std::vector<std::string>{renamed.id});
  EXPECT_TRUE(ListIds("svc-3").empty());
  EXPECT_TRUE(ListIds("svc-7").empty());
  EXPECT_EQ(ListIds("svc-").size(), 18u);
}

// Names are indexed once per write transaction: a name inserted and then
// renamed within one is indexed once, under its last name; a unit that
// rolls back leaves nothing; no note outlives the commit.
TEST_F(IdentityNameIndexTest, NamesWrittenInOneTransactionAreIndexedAtCommit) {
  Identity kept = MakeIdentity("first-Name", 1);
  Identity undone = MakeIdentity("undone-name", 2);
  ASSERT_TRUE(store_
                  ->Write([&](Transaction& tx) -> Status {
                    WARDEN_RETURN_IF_ERROR(tx.identities().Insert(kept));
                    kept.name = "second-Name";
                    kept.version = 2;
                    return tx.identities().Update(kept);
                  })
                  .ok());
  EXPECT_FALSE(store_
                   ->Write([&](Transaction& tx) -> Status {
                     WARDEN_RETURN_IF_ERROR(tx.identities().Insert(undone));
                     return InvalidArgument("rolled back");
                   })
                   .ok());
  EXPECT_EQ(ListIds("second-name"), std::vector<std::string>{kept.id});
  EXPECT_TRUE(ListIds("first-name").empty());
  EXPECT_TRUE(ListIds("undone-name").empty());
  EXPECT_TRUE(
      Column("SELECT identity_rowid FROM identity_name_pending").empty());
  EXPECT_TRUE(IntegrityCheck().ok()) << IntegrityCheck().ToString();
}

// A writer that bypassed the group committer leaves its rows noted; the
// next open indexes them.
TEST_F(IdentityNameIndexTest, NotesLeftByAnotherWriterAreIndexedAtOpen) {
  std::vector<Identity> identities = InsertNamed("tool-", 1);
  store_.reset();
  ASSERT_TRUE(
      Raw()
          ->Exec("INSERT INTO identities SELECT 'raw-id', 'raw-Written', "
                 "kind, owner, application, environment, "
                 "business_function, risk_tier, risk_tier_declared, "
                 "risk_reason, auth_method, scopes, rotation_days, "
                 "expires_at_us, justification, vendor, tenant, "
                 "status, status_reason, created_at_us, updated_at_us, "
                 "last_used_at_us, version, external_id, sponsor, "
                 "task_scope FROM identities",
                 "raw insert")
          .ok());
  EXPECT_EQ(Column("SELECT COUNT(*) FROM identity_name_pending"),
            std::vector<std::string>{"1"});
  OpenStore();
  EXPECT_EQ(ListIds("raw-written"), std::vector<std::string>{"raw-id"});
  EXPECT_TRUE(
      Column("SELECT identity_rowid FROM identity_name_pending").empty());
  EXPECT_TRUE(IntegrityCheck().ok()) << IntegrityCheck().ToString();
}

TEST_F(IdentityNameIndexTest, MigrationIndexesTheIdentitiesAlreadyStored) {
  std::vector<Identity> identities = InsertNamed("Existing-", 30);
  store_.reset();
  // Back to the schema before the index: no table, no triggers, version 10.
  ASSERT_TRUE(Raw()
                  ->Exec("DROP TABLE identity_name_trigrams;"
                         "DROP TRIGGER identity_name_trigrams_insert;"
                         "DROP TRIGGER identity_name_trigrams_delete;"
                         "DROP TRIGGER identity_name_trigrams_rename;"
                         "DROP TABLE identity_name_pending;"
                         "DELETE FROM schema_migrations WHERE version >= 11;",
                         "downgrade")
                  .ok());
  OpenStore();
  EXPECT_EQ(Column("SELECT MAX(version) FROM schema_migrations"),
            std::vector<std::string>{std::to_string(LatestSchemaVersion())});
  EXPECT_TRUE(IntegrityCheck().ok()) << IntegrityCheck().ToString();
  EXPECT_EQ(ListIds("existing-29"),
            std::vector<std::string>{identities[29].id});
  EXPECT_EQ(ListIds("xisting").size(), 30u);
}

// The plan behind a selective search reads the index and sorts only ids;
// the tier + expiry filter walks an index in keyset order, testing expiry
// on the index entry before reading the row.
TEST_F(IdentityNameIndexTest, QueryPlans) {
  auto plan_of = [&](const SqlQuery& query) {
    std::string plan;
    for (const std::string& row :
         Column("EXPLAIN QUERY PLAN " + query.sql, 3)) {
      plan += row + "\n";
    }
    return plan;
  };
  IdentityFilter search;
  search.name_contains = "svc-42";
  std::string plan = plan_of(BuildIdentityListQuery(
      search, PageRequest{"x", 50}, {NamePlan::kTrigramCandidates, "\"-42\""}));
  EXPECT_NE(plan.find("VIRTUAL TABLE"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("SCAN identities"), std::string::npos) << plan;

  IdentityFilter tier_expiry;
  tier_expiry.risk_tier = RiskTier::kCritical;
  tier_expiry.expiring_before = kT0;
  plan = plan_of(BuildIdentityListQuery(tier_expiry, PageRequest{"x", 50}));
  EXPECT_NE(plan.find("USING INDEX identities_risk_tier_expires "),
            std::string::npos)
      << plan;
  EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
}

}  // namespace
}  // namespace warden::sql
