#include "cli/table.h"

#include <algorithm>
#include <boost/json.hpp>

namespace warden::cli {
namespace {

// Cells are cut so one long justification cannot push a table off screen.
constexpr size_t kMaxCellChars = 60;

std::string Sanitize(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return out;
}

std::string Truncate(std::string text) {
  if (text.size() <= kMaxCellChars) return text;
  text.resize(kMaxCellChars - 3);
  return text + "...";
}

std::string Pad(const std::string& text, size_t width) {
  return text + std::string(width > text.size() ? width - text.size() : 0, ' ');
}

std::string JoinRow(const std::vector<std::string>& cells,
                    const std::vector<size_t>& widths) {
  std::string line;
  for (size_t i = 0; i < cells.size(); ++i) {
    bool last = i + 1 == cells.size();
    line += last ? cells[i] : Pad(cells[i], widths[i]) + "  ";
  }
  return line + "\n";
}

std::string CellFor(const boost::json::value& row, const std::string& field) {
  if (!row.is_object()) return "-";
  const auto* value = row.get_object().if_contains(field);
  return value == nullptr ? "-" : Truncate(CellText(*value));
}

}  // namespace

std::string CellText(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::null:
      return "-";
    case boost::json::kind::string:
      return Sanitize(value.get_string());
    case boost::json::kind::array: {
      std::string joined;
      for (const auto& item : value.get_array()) {
        if (!joined.empty()) joined += ",";
        joined += CellText(item);
      }
      return joined.empty() ? "-" : joined;
    }
    default:
      return Sanitize(boost::json::serialize(value));
  }
}

std::string RenderTable(const std::vector<Column>& columns,
                        const boost::json::array& rows) {
  std::vector<std::vector<std::string>> cells;
  std::vector<size_t> widths;
  std::vector<std::string> header;
  for (const auto& column : columns) {
    header.push_back(column.header);
    widths.push_back(column.header.size());
  }
  for (const auto& row : rows) {
    std::vector<std::string> line;
    for (size_t i = 0; i < columns.size(); ++i) {
      line.push_back(CellFor(row, columns[i].field));
      widths[i] = std::max(widths[i], line.back().size());
    }
    cells.push_back(std::move(line));
  }
  std::string out = JoinRow(header, widths);
  for (const auto& line : cells) out += JoinRow(line, widths);
  return out;
}

std::string RenderRecord(const boost::json::object& record) {
  size_t width = 0;
  for (const auto& member : record) {
    width = std::max(width, member.key().size() + 1);
  }
  std::string out;
  for (const auto& member : record) {
    out += Pad(std::string(member.key()) + ":", width) + "  " +
           CellText(member.value()) + "\n";
  }
  return out;
}

}  // namespace warden::cli
