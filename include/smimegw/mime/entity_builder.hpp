// mime: builders for leaf entities and multipart boundaries. Output is canonical CRLF and
// 7-bit safe (RFC 2045): base64 for binary, quoted-printable for text with 8-bit data or lines
// over 998 characters (76 for QP lines), 7bit otherwise.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "smimegw/core/result.hpp"
#include "smimegw/mime/content_type.hpp"
#include "smimegw/mime/header_block.hpp"

namespace smimegw::mime {

struct LeafOptions {
  std::optional<std::string> disposition;  ///< "inline" / "attachment"
  std::optional<std::string> filename;
  std::optional<std::string> force_encoding;  ///< e.g. "base64"
  HeaderBlock extra;                          ///< more fields, appended after the content ones
};

/// Chooses the transfer encoding for `data` of `type` (see file comment).
std::string choose_transfer_encoding(const ContentType& type, std::string_view data);
/// Builds `headers CRLF body` for a leaf; text line breaks are canonicalised to CRLF.
core::Result<std::string> build_leaf(const ContentType& type, std::string_view data,
                                     const LeafOptions& opt = {});
/// A boundary that occurs in none of `contents` (checked, random part from /dev/urandom).
std::string make_boundary(const std::vector<std::string_view>& contents);
/// Builds a multipart entity (headers + body) from complete child entities.
std::string build_multipart(std::string_view subtype, const std::vector<std::string_view>& children,
                            const Parameters& extra_params = {});

}  // namespace smimegw::mime
