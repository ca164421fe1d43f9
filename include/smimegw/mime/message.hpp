// mime: a parsed message. It does NOT own the bytes: `raw` refers to the caller's buffer, which
// must outlive the Message (no body is ever copied; every Part range indexes into `raw`).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "smimegw/mime/part.hpp"

namespace smimegw::mime {

enum class LineEndings { None, Crlf, Lf, Mixed };

/// Something the parser tolerated. `what`: junk_in_header, nul_in_header, missing_boundary,
/// no_delimiter, missing_close_delimiter.
struct Defect {
  std::string what;
  std::size_t offset = 0;
};

struct Message {
  std::string_view raw;  ///< the original bytes (not owned)
  Part root;
  LineEndings line_endings = LineEndings::None;  ///< what the input used
  std::size_t part_count = 0;
  std::vector<Defect> defects;

  std::string_view bytes(const ByteRange& r) const { return r.slice(raw); }
  std::string_view header_value_raw(const Part& p, std::string_view name) const;
  /// Unfolded value of the first field `name` of the top-level header, or "" when absent.
  std::string header(std::string_view name) const;
};

}  // namespace smimegw::mime
