// mime: a parsed message. It does NOT own the bytes: `raw` refers to the caller's buffer, which
// must outlive the Message (no body is ever copied; every Part range indexes into `raw`).
#pragma once

#include <string_view>

#include "smimegw/mime/part.hpp"

namespace smimegw::mime {

enum class LineEndings { None, Crlf, Lf, Mixed };

struct Message {
  std::string_view raw;  ///< the original bytes (not owned)
  Part root;
  LineEndings line_endings = LineEndings::None;  ///< what the input used
  std::size_t part_count = 0;

  std::string_view bytes(const ByteRange& r) const { return r.slice(raw); }
  std::string_view header_value_raw(const Part& p, std::string_view name) const;
  /// Unfolded value of the first field `name` of the top-level header, or "" when absent.
  std::string header(std::string_view name) const;
};

}  // namespace smimegw::mime
