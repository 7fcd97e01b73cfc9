// WireText: a JSON text held as pieces whose concatenation is the text. The
// publisher keeps each top-level section of an environment's wire JSON as
// one shared piece, so a revision that changes one section (a kill switch:
// "limits") shares the text of the others with the previous revision
// instead of copying them (12 MB with 100,000 tenants) into a new string.
// Only a reader that needs the text in one buffer (the stream's full
// "config" event, built once per revision) joins it.
//
// Immutable once built; thread-safe reads. Copies share the pieces.
#ifndef WARDEN_EXPOSURE_WIRE_TEXT_H_
#define WARDEN_EXPOSURE_WIRE_TEXT_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace warden::exposure {

class WireText {
 public:
  using Piece = std::shared_ptr<const std::string>;

  WireText() = default;
  // One piece holding all of `text`.
  explicit WireText(std::string text);
  // REQUIRES: no piece is null.
  explicit WireText(std::vector<Piece> pieces);

  // Bytes of the whole text.
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const std::vector<Piece>& pieces() const { return pieces_; }

  // The whole text in one string.
  std::string Join() const;
  // Appends the whole text to `out`.
  void AppendTo(std::string& out) const;

  friend bool operator==(const WireText& a, std::string_view b);

 private:
  std::vector<Piece> pieces_;
  size_t size_ = 0;
};

}  // namespace warden::exposure

#endif  // WARDEN_EXPOSURE_WIRE_TEXT_H_
