#include "discovery/token_format.h"

#include <re2/re2.h>

#include <charconv>
#include <map>

namespace warden::discovery {
namespace {

std::string Range(char from, char to) {
  std::string out;
  for (char c = from; c <= to; ++c) out.push_back(c);
  return out;
}

// Class name -> its characters (in an order that prints as a valid bracket
// expression: '-' last, no ']' or '^' or '\\').
const std::map<std::string, std::string, std::less<>>& Classes() {
  static const auto* classes = [] {
    const std::string digits = Range('0', '9');
    const std::string lower = Range('a', 'z');
    const std::string upper = Range('A', 'Z');
    const std::string alnum = upper + lower + digits;
    return new std::map<std::string, std::string, std::less<>>{
        {"d", digits},
        {"h", digits + "abcdef"},
        {"H", digits + "ABCDEF"},
        {"hx", digits + "abcdefABCDEF"},
        {"a", lower},
        {"A", upper},
        {"l", upper + lower},
        {"an", alnum},
        {"AN", upper + digits},
        {"lan", lower + digits},
        {"w", alnum + "_"},
        {"wd", alnum + "_-"},
        {"wde", alnum + "_=-"},
        {"wdot", alnum + "_.-"},
        {"b64", alnum + "+/"},
        {"b64u", alnum + "+/_=-"},
        {"b32", upper + "234567"},
        {"b32l", lower + "234567"},
        {"bech", "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L"},
        {"tilde", alnum + "_.~-"},
    };
  }();
  return *classes;
}

// Renders a class's characters as a bracket expression, collapsing runs
// (valid in both RE2 and ERE since '-' comes last).
std::string Bracket(const std::string& chars) {
  std::string out = "[";
  for (size_t i = 0; i < chars.size();) {
    size_t j = i;
    while (j + 1 < chars.size() && chars[j + 1] == chars[j] + 1 &&
           chars[j] != '-' && chars[j + 1] != '-') {
      ++j;
    }
    out.push_back(chars[i]);
    if (j - i >= 2) {
      out.push_back('-');
      out.push_back(chars[j]);
    } else if (j > i) {
      out.append(chars, i + 1, j - i);
    }
    i = j + 1;
  }
  out.push_back(']');
  return out;
}

std::string Count(int min, int max) {
  if (min == max) return "{" + std::to_string(min) + "}";
  return "{" + std::to_string(min) + "," + std::to_string(max) + "}";
}

bool ParseInt(std::string_view text, int* value) {
  auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), *value);
  return error == std::errc() && end == text.data() + text.size() &&
         *value >= 0 && *value <= 4096;
}

}  // namespace

Result<TokenFormat> TokenFormat::Parse(std::string_view notation) {
  TokenFormat format;
  size_t i = 0;
  while (i < notation.size()) {
    if (notation[i] != '{') {
      size_t next = notation.find('{', i);
      if (next == std::string_view::npos) next = notation.size();
      format.pieces_.push_back(
          {Piece::Kind::kLiteral, std::string(notation.substr(i, next - i))});
      i = next;
      continue;
    }
    size_t close = notation.find('}', i);
    if (close == std::string_view::npos) {
      return Status(
          StatusCode::kInvalidArgument,
          "token format: unclosed '{' in \"" + std::string(notation) + "\"");
    }
    std::string_view body = notation.substr(i + 1, close - i - 1);
    i = close + 1;
    Piece piece;
    if (!body.empty() && body[0] == '=') {
      piece.kind = Piece::Kind::kAlternatives;
      std::string_view rest = body.substr(1);
      for (size_t bar; (bar = rest.find('|')) != std::string_view::npos;) {
        piece.alternatives.emplace_back(rest.substr(0, bar));
        rest.remove_prefix(bar + 1);
      }
      piece.alternatives.emplace_back(rest);
      format.pieces_.push_back(std::move(piece));
      continue;
    }
    size_t colon = body.find(':');
    auto cls = Classes().find(body.substr(0, colon));
    if (colon == std::string_view::npos || cls == Classes().end()) {
      return Status(
          StatusCode::kInvalidArgument,
          "token format: unknown class in {" + std::string(body) + "}");
    }
    std::string_view count = body.substr(colon + 1);
    size_t dash = count.find('-');
    bool ok = dash == std::string_view::npos
                  ? ParseInt(count, &piece.min)
                  : ParseInt(count.substr(0, dash), &piece.min) &&
                        ParseInt(count.substr(dash + 1), &piece.max);
    if (dash == std::string_view::npos) piece.max = piece.min;
    if (!ok || piece.max < piece.min || piece.max == 0) {
      return Status(StatusCode::kInvalidArgument,
                    "token format: bad count in {" + std::string(body) + "}");
    }
    piece.kind = Piece::Kind::kClass;
    piece.text = cls->second;
    format.pieces_.push_back(std::move(piece));
  }
  if (format.pieces_.empty()) {
    return Status(StatusCode::kInvalidArgument, "token format: empty");
  }
  return format;
}

std::string TokenFormat::ToRe2() const {
  std::string out;
  for (const Piece& piece : pieces_) {
    switch (piece.kind) {
      case Piece::Kind::kLiteral:
        out += RE2::QuoteMeta(piece.text);
        break;
      case Piece::Kind::kClass:
        out += Bracket(piece.text) + Count(piece.min, piece.max);
        break;
      case Piece::Kind::kAlternatives: {
        out += "(?:";
        for (size_t k = 0; k < piece.alternatives.size(); ++k) {
          if (k > 0) out += "|";
          out += RE2::QuoteMeta(piece.alternatives[k]);
        }
        out += ")";
        break;
      }
    }
  }
  return out;
}

std::string QuoteEre(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::string_view(".[]()*+?{}|^$\\").find(c) != std::string_view::npos) {
      out.push_back('\\');
    }
    out.push_back(c);
  }
  return out;
}

std::string TokenFormat::ToEre() const {
  std::string out;
  for (const Piece& piece : pieces_) {
    switch (piece.kind) {
      case Piece::Kind::kLiteral:
        out += QuoteEre(piece.text);
        break;
      case Piece::Kind::kClass:
        out += Bracket(piece.text) + Count(piece.min, piece.max);
        break;
      case Piece::Kind::kAlternatives: {
        out += "(";
        for (size_t k = 0; k < piece.alternatives.size(); ++k) {
          if (k > 0) out += "|";
          out += QuoteEre(piece.alternatives[k]);
        }
        out += ")";
        break;
      }
    }
  }
  return out;
}

std::vector<std::string> TokenFormat::LeadingLiterals() const {
  std::vector<std::string> literals;
  const Piece& first = pieces_.front();
  if (first.kind == Piece::Kind::kLiteral) {
    literals.push_back(first.text);
  } else if (first.kind == Piece::Kind::kAlternatives) {
    std::string suffix;
    if (pieces_.size() > 1 && pieces_[1].kind == Piece::Kind::kLiteral) {
      suffix = pieces_[1].text;
    }
    for (const std::string& alternative : first.alternatives) {
      literals.push_back(alternative + suffix);
    }
  }
  for (std::string& literal : literals) {
    for (char& c : literal) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    }
  }
  return literals;
}

std::string TokenFormat::Sample(std::mt19937_64& rng) const {
  std::string out;
  for (const Piece& piece : pieces_) {
    switch (piece.kind) {
      case Piece::Kind::kLiteral:
        out += piece.text;
        break;
      case Piece::Kind::kClass: {
        std::uniform_int_distribution<size_t> pick(0, piece.text.size() - 1);
        int length = piece.min + (piece.max - piece.min) / 2;
        for (int k = 0; k < length; ++k) out.push_back(piece.text[pick(rng)]);
        break;
      }
      case Piece::Kind::kAlternatives: {
        std::uniform_int_distribution<size_t> pick(
            0, piece.alternatives.size() - 1);
        out += piece.alternatives[pick(rng)];
        break;
      }
    }
  }
  return out;
}

}  // namespace warden::discovery
