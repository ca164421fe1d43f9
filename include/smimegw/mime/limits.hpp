// mime: parser limits (ARCHITECTURE.md invariant 5). Each one exceeded is a distinct error code.
#pragma once

#include <cstddef>

namespace smimegw::mime {

struct Limits {
  std::size_t max_message_size = 64u << 20;  ///< message_too_large
  std::size_t max_header_line = 32u << 10;   ///< one physical header line; header_too_long
  std::size_t max_headers = 1000;            ///< fields per entity; too_many_headers
  std::size_t max_depth = 32;                ///< nesting of multiparts/message; mime_too_deep
  std::size_t max_parts = 1000;              ///< entities in the whole tree; too_many_parts
  /// When set, the first structural defect (see Message::defects) fails with malformed_mime
  /// instead of being tolerated.
  bool reject_malformed = false;
};

}  // namespace smimegw::mime
