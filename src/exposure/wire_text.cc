#include "exposure/wire_text.h"

namespace warden::exposure {

WireText::WireText(std::string text)
    : WireText(std::vector<Piece>{
          std::make_shared<const std::string>(std::move(text))}) {}

WireText::WireText(std::vector<Piece> pieces) : pieces_(std::move(pieces)) {
  for (const Piece& piece : pieces_) size_ += piece->size();
}

std::string WireText::Join() const {
  std::string out;
  out.reserve(size_);
  AppendTo(out);
  return out;
}

void WireText::AppendTo(std::string& out) const {
  for (const Piece& piece : pieces_) out += *piece;
}

bool operator==(const WireText& a, std::string_view b) {
  if (a.size_ != b.size()) return false;
  for (const WireText::Piece& piece : a.pieces_) {
    if (b.substr(0, piece->size()) != *piece) return false;
    b.remove_prefix(piece->size());
  }
  return true;
}

}  // namespace warden::exposure
