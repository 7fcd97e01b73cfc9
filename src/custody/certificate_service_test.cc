#include "custody/certificate_service.h"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>

#include "custody/certificate_ca_files.h"
#include "service/credential_test_seed.h"
#include "service/service_test_env.h"

namespace warden::custody {
namespace {

class CertificateServiceTest : public ServiceTestEnv {
 protected:
  void SetUp() override {
    ServiceTestEnv::SetUp();
    SeedTeam("payments");
    SeedTeam("search");
    auto ca = pki::CertificateAuthority::Generate("example.org", clock_.Now());
    ASSERT_TRUE(ca.ok());
    ca_ = std::move(ca).value();
    service_ = std::make_unique<CertificateService>(*store_, *auditor_, *ca_,
                                                    "example.org");
    identity_ = SeedIdentity(*store_, clock_.Now(), "api", "payments");
  }
  void TearDown() override {
    service_.reset();
    ServiceTestEnv::TearDown();
  }

  void WriteFile(const std::string& name, const std::string& text) {
    std::ofstream(dir_ + "/" + name) << text;
  }
  int OpensslVerify(const std::string& options) {
    const std::string command = "openssl verify " + options + " -attime " +
                                std::to_string(ToUnixSeconds(clock_.Now())) +
                                " -CAfile " + dir_ + "/ca.pem " + dir_ +
                                "/leaf.pem >/dev/null 2>&1";
    return std::system(command.c_str());
  }

  std::unique_ptr<pki::CertificateAuthority> ca_;
  std::unique_ptr<CertificateService> service_;
  Identity identity_;
  TestKey key_;
};

TEST_F(CertificateServiceTest, SignsSvidRecordsInventoryAndTellsWhenToRenew) {
  auto issued = service_->Sign(Admin(), "api", key_.Csr(), std::nullopt);
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  EXPECT_EQ(issued->record.spiffe_id,
            "spiffe://example.org/ns/production/sa/api");
  EXPECT_EQ(issued->record.not_after - clock_.Now(), std::chrono::hours(1));
  const auto lifetime = issued->record.not_after - issued->record.not_before;
  const auto renew_in = issued->renew_after - issued->record.not_before;
  EXPECT_GE(renew_in, lifetime * 4 / 10);
  EXPECT_LE(renew_in, lifetime * 6 / 10);
  EXPECT_EQ(LastAudit().event.action, "certificate.issue");
  auto listed = service_->List(As(Role::kAuditor, "aud"), "api", 10);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].serial, issued->record.serial);
  EXPECT_EQ((*listed)[0].status, "active");
}

TEST_F(CertificateServiceTest, TierPolicyBoundsLifetime) {
  SeedIdentity(*store_, clock_.Now(), "vault", "payments", RiskTier::kCritical);
  auto issued =
      service_->Sign(Admin(), "vault", key_.Csr(), std::chrono::hours(48));
  ASSERT_TRUE(issued.ok());
  EXPECT_EQ(issued->record.not_after - clock_.Now(), std::chrono::hours(1));
  EXPECT_FALSE(
      service_->Sign(Admin(), "api", key_.Csr(), std::chrono::seconds(5)).ok());
}

TEST_F(CertificateServiceTest, RefusesOtherTeamsAndInactiveIdentities) {
  auto denied = service_->Sign(As(Role::kAppOwner, "bob", "search"), "api",
                               key_.Csr(), std::nullopt);
  EXPECT_EQ(denied.status().code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(service_
                  ->Sign(As(Role::kAppOwner, "ann", "payments"), "api",
                         key_.Csr(), std::nullopt)
                  .ok());
  identity_.status = IdentityStatus::kSuspended;
  identity_.version += 1;
  ASSERT_TRUE(store_
                  ->Write([&](Transaction& tx) {
                    return tx.identities().Update(identity_);
                  })
                  .ok());
  auto refused = service_->Sign(Admin(), "api", key_.Csr(), std::nullopt);
  EXPECT_EQ(refused.status().problem(), "identity-not-active");
}

TEST_F(CertificateServiceTest, RenewalNeedsCurrentUnrevokedCertAndItsKey) {
  auto first = service_->Sign(Admin(), "api", key_.Csr(), std::nullopt);
  ASSERT_TRUE(first.ok());
  Caller holder = As(Role::kSdk, "certificate-holder");
  auto renewed =
      service_->Renew(holder, first->certificate_pem, key_.Csr(), std::nullopt);
  ASSERT_TRUE(renewed.ok()) << renewed.status().ToString();
  EXPECT_EQ(renewed->record.renewed_from, first->record.serial);
  EXPECT_EQ(renewed->record.spiffe_id, first->record.spiffe_id);
  TestKey stranger;
  EXPECT_EQ(
      service_
          ->Renew(holder, first->certificate_pem, stranger.Csr(), std::nullopt)
          .status()
          .code(),
      StatusCode::kUnauthenticated);
  ASSERT_TRUE(
      service_->Revoke(Admin(), first->record.serial, "key leaked").ok());
  EXPECT_EQ(
      service_->Renew(holder, first->certificate_pem, key_.Csr(), std::nullopt)
          .status()
          .code(),
      StatusCode::kUnauthenticated);
  clock_.Advance(std::chrono::hours(2));  // `renewed` has expired
  EXPECT_EQ(
      service_
          ->Renew(holder, renewed->certificate_pem, key_.Csr(), std::nullopt)
          .status()
          .code(),
      StatusCode::kUnauthenticated);
}

TEST_F(CertificateServiceTest, RevocationPublishesCrlThatOpensslHonours) {
  auto issued = service_->Sign(Admin(), "api", key_.Csr(), std::nullopt);
  ASSERT_TRUE(issued.ok());
  WriteFile("ca.pem", service_->ca_bundle_pem());
  WriteFile("leaf.pem", issued->certificate_pem);
  auto before = service_->CrlPem();
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  WriteFile("crl.pem", *before);
  const std::string crl = "-crl_check -CRLfile " + dir_ + "/crl.pem";
  EXPECT_EQ(OpensslVerify(crl), 0);
  auto revoked =
      service_->Revoke(Admin(), issued->record.serial, "compromised");
  ASSERT_TRUE(revoked.ok()) << revoked.status().ToString();
  EXPECT_EQ(revoked->status, "revoked");
  clock_.Advance(std::chrono::seconds(1));
  auto after = service_->CrlPem();
  ASSERT_TRUE(after.ok());
  WriteFile("crl.pem", *after);
  EXPECT_NE(OpensslVerify(crl), 0);
  EXPECT_EQ(service_->Revoke(Admin(), issued->record.serial, "again")
                .status()
                .problem(),
            "already-revoked");
}

// /pki/crl is public; it must not cost a signature per
// request. The CRL is signed once per change and served from the cache in
// between (the same bytes, lastUpdate included).
TEST_F(CertificateServiceTest, CrlIsSignedOncePerChangeNotPerRequest) {
  auto issued = service_->Sign(Admin(), "api", key_.Csr(), std::nullopt);
  ASSERT_TRUE(issued.ok());
  auto first = service_->CrlPem();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  clock_.Advance(std::chrono::seconds(10));
  auto second = service_->CrlPem();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*first, *second);  // not re-signed: same lastUpdate, number
  auto shared = service_->Crl();
  ASSERT_TRUE(shared.ok());
  EXPECT_EQ((*shared)->pem, *second);
  EXPECT_FALSE((*shared)->der.empty());

  // A revocation invalidates at once.
  ASSERT_TRUE(service_->Revoke(Admin(), issued->record.serial, "lost").ok());
  auto third = service_->Crl();
  ASSERT_TRUE(third.ok());
  EXPECT_NE((*third)->pem, *second);
  ASSERT_EQ((*third)->entries.size(), 1u);
  EXPECT_EQ((*third)->entries[0].serial, issued->record.serial);

  // And the CRL is re-signed before lastUpdate grows old.
  clock_.Advance(kCrlResignPeriod + std::chrono::seconds(1));
  auto fourth = service_->Crl();
  ASSERT_TRUE(fourth.ok());
  EXPECT_NE((*fourth)->pem, (*third)->pem);
  EXPECT_GT((*fourth)->signed_at, (*third)->signed_at);
}

TEST_F(CertificateServiceTest, RevokingTheIdentityPutsItsCertificatesOnCrl) {
  auto issued = service_->Sign(Admin(), "api", key_.Csr(), std::nullopt);
  ASSERT_TRUE(issued.ok());
  WriteFile("ca.pem", service_->ca_bundle_pem());
  WriteFile("leaf.pem", issued->certificate_pem);
  identity_.status = IdentityStatus::kRevoked;
  identity_.version += 1;
  ASSERT_TRUE(store_
                  ->Write([&](Transaction& tx) {
                    return tx.identities().Update(identity_);
                  })
                  .ok());
  auto crl = service_->CrlPem();
  ASSERT_TRUE(crl.ok());
  WriteFile("crl.pem", *crl);
  EXPECT_NE(OpensslVerify("-crl_check -CRLfile " + dir_ + "/crl.pem"), 0);
  EXPECT_EQ(service_
                ->Renew(As(Role::kSdk, "holder"), issued->certificate_pem,
                        key_.Csr(), std::nullopt)
                .status()
                .problem(),
            "identity-not-active");
}

TEST_F(CertificateServiceTest, CaFilesCreatedOnceKeptPrivateAndImportChecked) {
  const std::string ca_dir = dir_ + "/ca";
  std::filesystem::create_directories(ca_dir);
  auto first = LoadOrCreateCa(ca_dir, "example.org", clock_.Now());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  struct stat info = {};
  ASSERT_EQ(::stat((ca_dir + "/ca.key").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  auto again = LoadOrCreateCa(ca_dir, "example.org", clock_.Now());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->certificate_pem(), (*first)->certificate_pem());
  auto key = ca_->PrivateKeyPem();
  EXPECT_EQ(ImportCa(ca_dir, (*first)->certificate_pem(), *key).code(),
            StatusCode::kInvalidArgument);  // key of another CA
  ASSERT_TRUE(ImportCa(ca_dir, ca_->certificate_pem(), *key).ok());
  auto imported = LoadOrCreateCa(ca_dir, "example.org", clock_.Now());
  ASSERT_TRUE(imported.ok());
  EXPECT_EQ((*imported)->certificate_pem(), ca_->certificate_pem());
  ::chmod((ca_dir + "/ca.key").c_str(), 0644);
  EXPECT_EQ(LoadOrCreateCa(ca_dir, "example.org", clock_.Now()).status().code(),
            StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace warden::custody
