// RFC 4180 section 2, with LF accepted as a record end as well as CRLF.
#include "discovery/csv_reader.h"

#include <utility>

namespace warden::discovery {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

Status LineError(int64_t line, std::string_view what) {
  return Status(StatusCode::kInvalidArgument,
                "line " + std::to_string(line) + ": " + std::string(what));
}

}  // namespace

CsvReader::CsvReader(std::string_view text) : text_(text) {
  if (text_.starts_with(kByteOrderMark)) pos_ = kByteOrderMark.size();
}

bool CsvReader::AtRecordEnd() const {
  return pos_ >= text_.size() || text_[pos_] == '\n' ||
         (text_[pos_] == '\r' &&
          (pos_ + 1 == text_.size() || text_[pos_ + 1] == '\n'));
}

void CsvReader::SkipRecordEnd() {
  if (pos_ < text_.size() && text_[pos_] == '\r') ++pos_;
  if (pos_ < text_.size() && text_[pos_] == '\n') {
    ++pos_;
    ++line_;
  }
}

void CsvReader::SkipToNextLine() {
  const size_t newline = text_.find('\n', pos_);
  pos_ = newline == std::string_view::npos ? text_.size() : newline + 1;
  if (newline != std::string_view::npos) ++line_;
}

Status CsvReader::ReadQuoted(std::string& field) {
  const int64_t start_line = line_;
  ++pos_;  // the opening quote
  while (pos_ < text_.size()) {
    const char c = text_[pos_++];
    if (c == '"') {
      if (pos_ < text_.size() && text_[pos_] == '"') {
        field.push_back('"');
        ++pos_;
        continue;
      }
      if (!AtRecordEnd() && text_[pos_] != ',') {
        return LineError(line_, "text after the closing quote of a field");
      }
      return Status::Ok();
    }
    if (c == '\n') ++line_;
    field.push_back(c);
  }
  return LineError(start_line, "quoted field is not closed");
}

Result<bool> CsvReader::Next(CsvRecord& record) {
  while (pos_ < text_.size() && AtRecordEnd()) SkipRecordEnd();  // blanks
  if (pos_ >= text_.size()) return false;
  record.fields.clear();
  record.line = line_;
  while (true) {
    if (record.fields.size() == kMaxCsvFields) {
      SkipToNextLine();
      return LineError(
          record.line,
          "more than " + std::to_string(kMaxCsvFields) + " fields");
    }
    std::string& field = record.fields.emplace_back();
    if (pos_ < text_.size() && text_[pos_] == '"') {
      if (Status status = ReadQuoted(field); !status.ok()) {
        SkipToNextLine();
        return status;
      }
    } else {
      while (!AtRecordEnd() && text_[pos_] != ',')
        field.push_back(text_[pos_++]);
    }
    if (AtRecordEnd()) break;
    ++pos_;  // the comma
  }
  SkipRecordEnd();
  return true;
}

}  // namespace warden::discovery
