// JSON lexical structure per RFC 8259 sections 2 (structural characters and
// whitespace) and 7 (strings and their escapes).
#include "discovery/json_element_lines.h"

#include <utility>

namespace warden::discovery {
namespace {

// A lexer that tracks containers, skipping strings and literals; it records
// the line where each element of the target array starts.
class ElementLines {
 public:
  static std::vector<int64_t> Find(std::string_view text,
                                   std::string_view member) {
    ElementLines lexer(text, member);
    lexer.Run();
    return std::move(lexer.lines_);
  }

 private:
  struct Container {
    char type;            // '[' or '{'
    bool target = false;  // the array whose elements are recorded
  };

  ElementLines(std::string_view text, std::string_view member)
      : text_(text), member_(member) {}

  void Run() {
    for (pos_ = 0; pos_ < text_.size(); ++pos_) {
      const char c = text_[pos_];
      if (c == '\n') ++line_;
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',' ||
          c == ':') {
        continue;
      }
      if (c == ']' || c == '}') {
        if (!stack_.empty()) stack_.pop_back();
        continue;
      }
      NoteValueStart();
      if (c == '"') {
        ReadString();
      } else if (c == '[' || c == '{') {
        Open(c);
      } else {
        SkipLiteral();
      }
    }
  }

  void NoteValueStart() {
    if (!stack_.empty() && stack_.back().target) lines_.push_back(line_);
  }

  void Open(char type) {
    const bool top_array = stack_.empty() && member_.empty() && type == '[';
    const bool member_array = stack_.size() == 1 && stack_[0].type == '{' &&
                              type == '[' && !member_.empty() &&
                              last_top_key_ == member_ && after_colon_;
    stack_.push_back(
        Container{.type = type, .target = top_array || member_array});
  }

  // Skips a number, true, false or null.
  void SkipLiteral() {
    while (pos_ + 1 < text_.size() &&
           std::string_view(",]} \t\r\n").find(text_[pos_ + 1]) ==
               std::string_view::npos) {
      ++pos_;
    }
  }

  // Skips a string; remembers it when it is a key of the top-level object.
  void ReadString() {
    const size_t start = ++pos_;
    while (pos_ < text_.size() && text_[pos_] != '"') {
      if (text_[pos_] == '\\') ++pos_;
      ++pos_;
    }
    if (stack_.size() == 1 && stack_[0].type == '{') {
      const size_t next = text_.find_first_not_of(" \t\r\n", pos_ + 1);
      after_colon_ = next != std::string_view::npos && text_[next] == ':';
      if (after_colon_) last_top_key_ = text_.substr(start, pos_ - start);
    }
  }

  std::string_view text_;
  std::string_view member_;
  size_t pos_ = 0;
  int64_t line_ = 1;
  std::vector<Container> stack_;
  std::string_view last_top_key_;
  bool after_colon_ = false;
  std::vector<int64_t> lines_;
};

}  // namespace

std::vector<int64_t> JsonArrayElementLines(std::string_view text,
                                           std::string_view member) {
  return ElementLines::Find(text, member);
}

}  // namespace warden::discovery
