// Strict reading of query parameters, the query-string twin of
// JsonObjectReader: typed accessors, first error wins, and Finish() rejects
// parameters nobody asked about. Every error is kInvalidArgument with
// problem "bad-query-parameter", naming the parameter.
//
// Thread-safety: one thread; borrows the parameter list.
#ifndef WARDEN_HTTP_QUERY_READER_H_
#define WARDEN_HTTP_QUERY_READER_H_

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/status.h"

namespace warden {

// A query parameter value longer than this is not a filter anyone means;
// refusing it bounds the work spent on text search and echoes in errors.
inline constexpr size_t kMaxQueryValueLength = 512;

class QueryReader {
 public:
  explicit QueryReader(
      const std::vector<std::pair<std::string, std::string>>& params)
      : params_(params) {}

  void String(std::string_view name, std::optional<std::string>* out);
  // An integer in [min, max].
  void Int(std::string_view name, std::optional<int64_t>* out, int64_t min,
           int64_t max);
  void Time(std::string_view name, std::optional<Timestamp>* out);

  template <typename E>
  void Enum(std::string_view name, std::optional<E>* out,
            std::optional<E> (*parse)(std::string_view),
            std::string (*allowed)()) {
    std::optional<std::string> text;
    String(name, &text);
    if (!text) return;
    *out = parse(*text);
    if (!*out) Fail(name, "must be one of " + allowed());
  }

  void Fail(std::string_view name, std::string_view why);
  Status Finish() const;

 private:
  const std::vector<std::pair<std::string, std::string>>& params_;
  std::set<std::string, std::less<>> known_;
  Status error_;
};

}  // namespace warden

#endif  // WARDEN_HTTP_QUERY_READER_H_
