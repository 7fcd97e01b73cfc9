// Test fixture for the audit chain (tests only): a real SQLite store in a
// fresh temporary directory, opened with or without an audit key, and the
// edits an attacker with write access to warden.db would make, done with
// the SQLite library behind the store's back.
#ifndef WARDEN_AUDIT_AUDIT_TEST_ENV_H_
#define WARDEN_AUDIT_AUDIT_TEST_ENV_H_

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/audit_chain_key.h"
#include "core/clock.h"
#include "store/sqlite/sqlite_store.h"

namespace warden {

class AuditTestEnv : public testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = testing::TempDir() + "warden-audit-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }

  void TearDown() override {
    CloseStore();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  std::string db_path() const { return dir_ + "/warden.db"; }

  // (Re)opens the store, keyed when `key` is set.
  void OpenStore(std::optional<AuditChainKey> key,
                 AuditHeadListener* heads = nullptr, int read_connections = 4) {
    CloseStore();
    SqliteStoreOptions options;
    options.path = db_path();
    options.audit_key = std::move(key);
    options.audit_heads = heads;
    options.read_connections = read_connections;
    auto opened = OpenSqliteStore(options);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
  }

  void CloseStore() {
    if (store_) store_->Close();
    store_.reset();
  }

  static AuditEvent Event(int i) {
    AuditEvent e;
    e.time = FromMicros(1'800'000'000'000'000 + i);
    e.actor = "root";
    e.action = "test.event";
    e.target = "thing/" + std::to_string(i);
    e.outcome = "ok";
    e.details = "{\"i\":" + std::to_string(i) + "}";
    return e;
  }

  // Appends `count` records in one unit; returns the first status.
  Status Append(int count) {
    return store_->Write([&](Transaction& tx) -> Status {
      for (int i = 0; i < count; ++i) {
        WARDEN_RETURN_IF_ERROR(tx.audit().Append(Event(i)).status());
      }
      return Status::Ok();
    });
  }

  AuditRecord Head() {
    std::optional<AuditRecord> head;
    EXPECT_TRUE(store_
                    ->Read([&](Transaction& tx) -> Status {
                      WARDEN_ASSIGN_OR_RETURN(head, tx.audit().Head());
                      return Status::Ok();
                    })
                    .ok());
    return head.value_or(AuditRecord{});
  }

  std::vector<AuditRecord> All() {
    std::vector<AuditRecord> all;
    EXPECT_TRUE(store_
                    ->Read([&](Transaction& tx) -> Status {
                      AuditFilter filter;
                      filter.limit = 1000000;
                      WARDEN_ASSIGN_OR_RETURN(all, tx.audit().Query(filter));
                      return Status::Ok();
                    })
                    .ok());
    return all;
  }

  // Runs SQL on warden.db with the store closed, then reopens it as it was
  // (keyed or not).
  void Tamper(const std::string& sql, std::optional<AuditChainKey> key) {
    CloseStore();
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_path().c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    EXPECT_EQ(rc, SQLITE_OK) << (error ? error : "") << "\n" << sql;
    sqlite3_free(error);
    sqlite3_close(db);
    OpenStore(std::move(key));
  }

  // The attacker without the key: edits record `from` (actor "mallory"),
  // then recomputes the unkeyed SHA-256 chain from there to the end, so
  // every hash and prev_hash is consistent again. `format` is what the
  // rewritten records claim to be (1: honest about the format; 2: keeps
  // the keyed marker and hopes nobody checks).
  std::string RewriteUnkeyedFrom(int64_t from, int format) {
    std::vector<AuditRecord> records = All();
    std::string sql = "BEGIN;";
    std::string prev =
        from == 1 ? std::string(kAuditGenesisHash) : records.at(from - 2).hash;
    for (AuditRecord& record : records) {
      if (record.sequence < from) continue;
      if (record.sequence == from) record.event.actor = "mallory";
      record.prev_hash = prev;
      record.hash =
          AuditRecordHash(record.sequence, record.event, record.prev_hash);
      sql += "UPDATE audit_log SET actor='" + record.event.actor +
             "', prev_hash='" + record.prev_hash + "', hash='" + record.hash +
             "', format=" + std::to_string(format) +
             " WHERE sequence=" + std::to_string(record.sequence) + ";";
      prev = record.hash;
    }
    return sql + "COMMIT;";
  }

  std::string dir_;
  std::unique_ptr<Store> store_;
};

}  // namespace warden

#endif  // WARDEN_AUDIT_AUDIT_TEST_ENV_H_
