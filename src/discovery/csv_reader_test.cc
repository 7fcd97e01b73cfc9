#include "discovery/csv_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

namespace warden::discovery {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<CsvRecord> ReadAll(std::string_view text,
                               std::vector<std::string>* errors = nullptr) {
  CsvReader reader(text);
  std::vector<CsvRecord> records;
  CsvRecord record;
  while (true) {
    Result<bool> next = reader.Next(record);
    if (!next.ok()) {
      if (errors) errors->push_back(next.status().message());
      continue;
    }
    if (!*next) break;
    records.push_back(record);
  }
  return records;
}

TEST(CsvReaderTest, ReadsPlainAndQuotedFields) {
  auto records = ReadAll(
      "\xEF\xBB\xBFname,note\r\n"
      "a,\"x, y\"\r\n"
      "\n"
      "\"say \"\"hi\"\"\",\"two\nlines\"\n"
      "last,\n");
  ASSERT_EQ(records.size(), 4u);
  EXPECT_THAT(records[0].fields, ElementsAre("name", "note"));
  EXPECT_THAT(records[1].fields, ElementsAre("a", "x, y"));
  EXPECT_THAT(records[2].fields, ElementsAre("say \"hi\"", "two\nlines"));
  EXPECT_EQ(records[2].line, 4);
  EXPECT_THAT(records[3].fields, ElementsAre("last", ""));
  EXPECT_EQ(records[3].line, 6);
}

TEST(CsvReaderTest, UnterminatedQuoteIsAnErrorAtItsLine) {
  std::vector<std::string> errors;
  auto records = ReadAll("a,b\nc,\"open\nmore\n", &errors);
  ASSERT_EQ(records.size(), 1u);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], HasSubstr("line 2: quoted field is not closed"));
}

TEST(CsvReaderTest, TextAfterAClosingQuoteIsAnErrorAndReadingResumes) {
  std::vector<std::string> errors;
  auto records = ReadAll("\"a\"b,c\nd,e\n", &errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], HasSubstr("line 1"));
  ASSERT_EQ(records.size(), 1u);
  EXPECT_THAT(records[0].fields, ElementsAre("d", "e"));
  EXPECT_EQ(records[0].line, 2);
}

TEST(CsvReaderTest, TooManyFieldsIsAnError) {
  std::vector<std::string> errors;
  auto records =
      ReadAll(std::string(kMaxCsvFields + 5, ',') + "\nok\n", &errors);
  ASSERT_EQ(errors.size(), 1u);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_THAT(records[0].fields, ElementsAre("ok"));
}

}  // namespace
}  // namespace warden::discovery
