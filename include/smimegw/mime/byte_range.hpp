// mime: a half-open byte range [begin, end) into the original message buffer.
#pragma once

#include <cstddef>
#include <string_view>

namespace smimegw::mime {

struct ByteRange {
  std::size_t begin = 0;
  std::size_t end = 0;

  std::size_t size() const { return end - begin; }
  bool empty() const { return end == begin; }
  /// The bytes of this range inside `buf` (the buffer the range was computed on).
  std::string_view slice(std::string_view buf) const { return buf.substr(begin, end - begin); }
  friend bool operator==(const ByteRange&, const ByteRange&) = default;
};

}  // namespace smimegw::mime
