// mime (private): line scanning over the original buffer without copying.
#pragma once

#include <cstddef>
#include <cstring>
#include <string_view>

namespace smimegw::mime::detail {

struct Line {
  std::size_t begin;        ///< first byte of the line
  std::size_t content_end;  ///< before CRLF / LF
  std::size_t next;         ///< after the line break (== end when the line has none)
};

/// The line starting at `pos` inside [pos, end).
inline Line line_at(std::string_view buf, std::size_t pos, std::size_t end) {
  const void* p = std::memchr(buf.data() + pos, '\n', end - pos);
  if (p == nullptr) return {pos, end, end};
  std::size_t lf = static_cast<const char*>(p) - buf.data();
  std::size_t ce = (lf > pos && buf[lf - 1] == '\r') ? lf - 1 : lf;
  return {pos, ce, lf + 1};
}

inline bool is_wsp(char c) {
  return c == ' ' || c == '\t';
}

}  // namespace smimegw::mime::detail
