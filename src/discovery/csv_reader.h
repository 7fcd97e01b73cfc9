// A reader of comma-separated values per RFC 4180: fields separated by
// commas, records by CRLF or LF, double-quoted fields that may hold commas,
// line breaks and doubled quotes (""). A UTF-8 byte order mark before the
// first field is skipped.
//
// Thread-compatible: one reader per thread; it does not own its text.
#ifndef WARDEN_DISCOVERY_CSV_READER_H_
#define WARDEN_DISCOVERY_CSV_READER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace warden::discovery {

// No report or export we read has rows this wide; a file that does is not
// one of them, and the limit bounds the memory one line can claim.
inline constexpr size_t kMaxCsvFields = 1024;

struct CsvRecord {
  std::vector<std::string> fields;
  int64_t line = 0;  // 1-based line where the record starts
};

class CsvReader {
 public:
  // REQUIRES: `text` outlives the reader.
  explicit CsvReader(std::string_view text);

  // Reads the next record into `record`. Returns true when one was read,
  // false at the end of the text. Blank lines are skipped. Returns
  // kInvalidArgument "line N: ..." for an unterminated quoted field, text
  // after a closing quote, or more than kMaxCsvFields fields; the reader
  // then resumes at the next line.
  Result<bool> Next(CsvRecord& record);

 private:
  Status ReadQuoted(std::string& field);
  bool AtRecordEnd() const;
  void SkipRecordEnd();
  void SkipToNextLine();

  std::string_view text_;
  size_t pos_ = 0;
  int64_t line_ = 1;
};

}  // namespace warden::discovery

#endif  // WARDEN_DISCOVERY_CSV_READER_H_
