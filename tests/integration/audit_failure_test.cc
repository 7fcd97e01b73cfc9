// "If the audit write fails, the request fails" (DESIGN.md), seen over HTTP:
// with the disk full, both a mutation and an audited read answer 503 with a
// problem body, and the mutation is not applied once the disk recovers.
#include <gtest/gtest.h>

#include "server_fixture.h"
#include "store/sqlite/fault_injector.h"

namespace warden::testing_http {
namespace {

class AuditFailureTest : public ServerFixture {
 protected:
  void Configure(server::ServerOptions& options) override {
    options.store_faults = &faults_;
  }
  FaultInjector faults_;  // outlives the server (TearDown stops it first)
};

TEST_F(AuditFailureTest, DiskFullFailsWritesAndAuditedReads) {
  CreateTeam("payments");
  faults_.SetDiskFull(true);
  HttpReply write = client_->Post("/v1/teams", admin_token_,
                                  boost::json::object{{"name", "ghost"}});
  EXPECT_EQ(write.status, 503) << write.body;
  EXPECT_EQ(write.content_type(), "application/problem+json");
  HttpReply read = client_->Get("/v1/teams/payments", admin_token_);
  EXPECT_EQ(read.status, 503) << read.body;
  EXPECT_GT(faults_.injected(), 0);

  faults_.SetDiskFull(false);
  EXPECT_EQ(client_->Get("/v1/teams/ghost", admin_token_).status, 404);
  EXPECT_EQ(client_->Get("/v1/teams/payments", admin_token_).status, 200);
}

}  // namespace
}  // namespace warden::testing_http
