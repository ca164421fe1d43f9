// mime: one entity of the parsed tree, described by byte ranges into the original buffer.
//
// RFC 2046 §5.1.1: the line break that precedes a boundary delimiter belongs to the delimiter, so a
// child's `entity` range ends before it. `delimiters[i]` spans from that line break (or from the
// start of the body when the delimiter is the body's first line) through the end of the delimiter
// line's own line break; the last one is the close delimiter when `closed`.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "smimegw/mime/byte_range.hpp"
#include "smimegw/mime/content_type.hpp"
#include "smimegw/mime/header_field.hpp"

namespace smimegw::mime {

struct Part {
  ByteRange entity;  ///< headers + separator + body
  ByteRange header;  ///< all header fields, through the last field's line break
  ByteRange body;    ///< after the blank separator line
  std::vector<HeaderField> headers;
  ContentType content_type;                ///< defaulted per RFC 2045 when absent/invalid
  bool content_type_present = false;       ///< a valid Content-Type header was found
  std::string transfer_encoding = "7bit";  ///< lower-cased
  std::optional<ContentDisposition> disposition;
  std::size_t depth = 0;

  // multipart/* (and message/rfc822, whose single child is the enclosed message)
  std::string boundary;
  ByteRange preamble;
  ByteRange epilogue;
  std::vector<ByteRange> delimiters;
  bool closed = false;  ///< the close delimiter "--boundary--" was present
  std::vector<Part> children;

  /// The first header field named `name` (case-insensitive), or nullptr.
  const HeaderField* find(std::string_view name) const;
  /// The charset parameter, lower-cased; "us-ascii" when absent.
  std::string charset() const;
  bool is_attachment() const { return disposition && disposition->is_attachment(); }
};

}  // namespace smimegw::mime
