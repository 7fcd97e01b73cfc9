#include "discovery/aws_credential_report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "discovery/test_files.h"

namespace warden::discovery {
namespace {

using ::testing::HasSubstr;
using testing::TestDirectory;

constexpr char kHeader[] =
    "user,arn,user_creation_time,password_enabled,password_last_used,"
    "password_last_changed,password_next_rotation,mfa_active,"
    "access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,"
    "access_key_1_last_used_region,access_key_1_last_used_service,"
    "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
    "access_key_2_last_used_region,access_key_2_last_used_service,"
    "cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated\n";

constexpr char kRoot[] =
    "<root_account>,arn:aws:iam::123456789012:root,2019-01-01T00:00:00+00:00,"
    "not_supported,2026-11-01T10:00:00+00:00,not_supported,not_supported,true,"
    "false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n";

constexpr char kDeployBot[] =
    "deploy-bot,arn:aws:iam::123456789012:user/ci/deploy-bot,"
    "2021-03-22T21:46:25+00:00,false,N/A,N/A,N/A,false,"
    "true,2021-03-22T21:48:00+00:00,2026-12-01T08:15:00+00:00,us-east-1,s3,"
    "true,2024-06-01T00:00:00+00:00,N/A,N/A,N/A,"
    "false,N/A,false,N/A\n";

constexpr char kAlice[] =
    "alice,arn:aws:iam::123456789012:user/alice,2020-05-05T05:05:05+00:00,"
    "true,2026-12-05T09:00:00+00:00,2026-01-01T00:00:00+00:00,N/A,true,"
    "false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n";

const Observation* Find(const ScanReport& report, std::string_view kind,
                        std::string_view key) {
  for (const auto& o : report.observations) {
    if (o.kind == kind && o.key == key) return &o;
  }
  return nullptr;
}

TEST(AwsCredentialReportTest, UsersAndTheirActiveKeys) {
  TestDirectory dir;
  const auto path = dir.Write(
      "report.csv", std::string(kHeader) + kRoot + kDeployBot + kAlice);

  const ScanReport report = ScanAwsCredentialReport(path, nullptr);

  EXPECT_TRUE(report.issues.empty());
  ASSERT_EQ(report.observations.size(), 5u);  // 3 users, 2 keys
  const auto* bot = Find(report, kCloudUserKind,
                         "arn:aws:iam::123456789012:user/ci/deploy-bot");
  ASSERT_NE(bot, nullptr);
  EXPECT_EQ(bot->name, "deploy-bot");
  EXPECT_EQ(bot->source, "aws");
  EXPECT_EQ(bot->location, path.string() + ":3");
  EXPECT_EQ(bot->attributes.at("password_enabled"), "false");
  EXPECT_EQ(bot->attributes.at("mfa_active"), "false");
  EXPECT_EQ(bot->attributes.at("created_at"), "2021-03-22T21:46:25Z");
  EXPECT_EQ(bot->attributes.at("password_last_used"), "");
  EXPECT_EQ(bot->attributes.at("human_signals"), "");

  const auto* key1 = Find(report, kCloudAccessKeyKind,
                          "arn:aws:iam::123456789012:user/ci/deploy-bot#1");
  ASSERT_NE(key1, nullptr);
  EXPECT_EQ(key1->name, "deploy-bot");
  EXPECT_EQ(key1->attributes.at("active"), "true");
  EXPECT_EQ(key1->attributes.at("last_rotated"), "2021-03-22T21:48:00Z");
  EXPECT_EQ(key1->attributes.at("last_used_at"), "2026-12-01T08:15:00Z");
  EXPECT_EQ(key1->attributes.at("last_used_service"), "s3");
  const auto* key2 = Find(report, kCloudAccessKeyKind,
                          "arn:aws:iam::123456789012:user/ci/deploy-bot#2");
  ASSERT_NE(key2, nullptr);
  EXPECT_EQ(key2->attributes.at("last_used_at"), "");
  EXPECT_EQ(key2->attributes.at("last_used_service"), "");

  const auto* alice =
      Find(report, kCloudUserKind, "arn:aws:iam::123456789012:user/alice");
  ASSERT_NE(alice, nullptr);
  EXPECT_EQ(alice->attributes.at("human_signals"), "password_enabled");
  EXPECT_EQ(alice->attributes.at("password_last_used"), "2026-12-05T09:00:00Z");
  const auto* root =
      Find(report, kCloudUserKind, "arn:aws:iam::123456789012:root");
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root->attributes.at("root_account"), "true");
  EXPECT_EQ(root->attributes.at("password_enabled"), "false");
}

TEST(AwsCredentialReportTest, HeaderWithoutRequiredColumnsIsOneIssue) {
  TestDirectory dir;
  const auto path =
      dir.Write("users.csv", "user,arn,password_enabled\nbob,arn:x,true\n");
  const ScanReport report = ScanAwsCredentialReport(path, nullptr);
  ASSERT_EQ(report.issues.size(), 1u);
  EXPECT_EQ(report.issues[0].location, path.string() + ":1");
  EXPECT_THAT(report.issues[0].message,
              HasSubstr("user_creation_time, mfa_active, access_key_1_active, "
                        "access_key_2_active"));
  EXPECT_TRUE(report.observations.empty());
}

TEST(AwsCredentialReportTest, BadHeaderInOneFileLeavesTheOthers) {
  TestDirectory dir;
  const auto bad = dir.Write("a/old.csv", "name,key\nbob,AKIA\n");
  dir.Write("b/report.csv", std::string(kHeader) + kAlice);
  const ScanReport report = ScanAwsCredentialReport(dir.root(), nullptr);
  ASSERT_EQ(report.issues.size(), 1u);
  EXPECT_EQ(report.issues[0].location, bad.string() + ":1");
  EXPECT_THAT(report.issues[0].message, HasSubstr("user, arn,"));
  ASSERT_EQ(report.observations.size(), 1u);
  EXPECT_EQ(report.observations[0].name, "alice");
}

TEST(AwsCredentialReportTest,
     RowWithWrongColumnCountIsAnIssueAndReadingGoesOn) {
  TestDirectory dir;
  const auto path = dir.Write("report.csv", std::string(kHeader) +
                                                "mallory,arn:short,true\n" +
                                                kAlice + "\"unclosed,arn\n");
  const ScanReport report = ScanAwsCredentialReport(path, nullptr);
  ASSERT_EQ(report.issues.size(), 2u);
  EXPECT_EQ(report.issues[0].location, path.string() + ":2");
  EXPECT_THAT(report.issues[0].message, HasSubstr("row has 3 fields"));
  EXPECT_EQ(report.issues[1].location, path.string() + ":4");
  EXPECT_THAT(report.issues[1].message, HasSubstr("not closed"));
  ASSERT_EQ(report.observations.size(), 1u);
  EXPECT_EQ(report.observations[0].name, "alice");
}

TEST(AwsCredentialReportTest, MalformedTimestampIsAnIssueAtItsRow) {
  std::string row = kAlice;
  row.replace(row.find("2020-05-05T05:05:05+00:00"), 25, "yesterday");
  ScanReport report;
  ParseAwsCredentialReport(std::string(kHeader) + row, "mem.csv", report);
  ASSERT_EQ(report.issues.size(), 1u);
  EXPECT_EQ(report.issues[0].location, "mem.csv:2");
  EXPECT_THAT(report.issues[0].message, HasSubstr("user_creation_time"));
  ASSERT_EQ(report.observations.size(), 1u);
  EXPECT_EQ(report.observations[0].attributes.at("created_at"), "");
}

TEST(AwsCredentialReportTest, EmptyFileIsAnIssue) {
  ScanReport report;
  ParseAwsCredentialReport("", "empty.csv", report);
  ASSERT_EQ(report.issues.size(), 1u);
  EXPECT_EQ(report.issues[0].location, "empty.csv:1");
}

}  // namespace
}  // namespace warden::discovery
