// policy: the `msip_labels` header (ARCHITECTURE §6), Microsoft Information Protection's carrier
// of sensitivity labels in mail:
//
//   msip_labels: MSIP_Label_<guid>_Enabled=true; MSIP_Label_<guid>_SetDate=<ISO-8601>;
//     MSIP_Label_<guid>_Method=Standard|Privileged; MSIP_Label_<guid>_Name=<name>;
//     MSIP_Label_<guid>_SiteId=<tenant guid>; MSIP_Label_<guid>_ActionId=<guid>;
//     MSIP_Label_<guid>_ContentBits=<n>
//
// Parsing is tolerant: keys match case-insensitively, folding (CRLF + WSP) and any whitespace
// around ';' and '=' are ignored, empty entries are skipped, several labels (of several tenants,
// told apart by SiteId) may appear, and attributes we do not know (e.g. `_Owner`,
// `_Extended_MSFT_Method`) or entries that are not MSIP_Label_ keys are kept and re-emitted.
// Entries without '=' and malformed values of known attributes (a non-integer ContentBits, an
// Enabled that is neither true nor false) are dropped with a warning. A repeated attribute keeps
// its last value. Size limits fail the whole parse (`msip_labels_too_long`,
// `msip_labels_too_many_labels`, `msip_labels_too_many_entries`).
//
// Emission is exact: each label as Enabled, SetDate, Method, Name, SiteId, ActionId, ContentBits
// (those present), then its unknown attributes in their original order and spelling; labels in
// order; then the foreign entries; all joined by "; ", GUIDs lower-case, Enabled as "true"/"false".
// Parsing the emitted value gives back the same structure (round trip).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "smimegw/core/result.hpp"

namespace smimegw::policy {

/// ContentBits: which visual markings and protection the label applied to the content.
enum ContentBit : int {
  kContentHeader = 1,
  kContentFooter = 2,
  kContentWatermark = 4,
  kContentEncrypted = 8
};

using Attribute = std::pair<std::string, std::string>;  ///< key as written, value

struct MsipLabel {
  std::string id;  ///< GUID, lower-case
  std::optional<bool> enabled;
  std::optional<std::string> set_date;
  std::optional<std::string> method;  ///< "Standard" | "Privileged" (others kept as written)
  std::optional<std::string> name;
  std::optional<std::string> site_id;  ///< tenant GUID, lower-case
  std::optional<std::string> action_id;
  std::optional<int> content_bits;
  std::vector<Attribute> extra;  ///< unknown attributes: key suffix after the GUID's '_', value
  friend bool operator==(const MsipLabel&, const MsipLabel&) = default;
};

struct MsipHeader {
  std::vector<MsipLabel> labels;  ///< in order of first appearance
  std::vector<Attribute> other;   ///< entries that are not MSIP_Label_<guid>_ keys
  friend bool operator==(const MsipHeader&, const MsipHeader&) = default;
};

struct MsipLimits {
  std::size_t max_bytes = 16384;  ///< of the raw (folded) header value
  std::size_t max_labels = 16;
  std::size_t max_entries = 256;  ///< key=value entries in all
};

struct MsipParse {
  MsipHeader header;
  std::vector<std::string> warnings;  ///< "dropped entry ...: reason"
};

/// Parses a header value (what follows "msip_labels:", possibly folded).
core::Result<MsipParse> parse_msip_labels(std::string_view value, const MsipLimits& limits = {});

/// The exact single-line value. Fails with `msip_value_invalid` when a key or value holds ';',
/// CR, LF or another control character, a key holds '=' or whitespace, or a label id is not a
/// GUID (never the case for parsed input or catalog labels).
core::Result<std::string> format_msip_labels(const MsipHeader& header);

/// The whole header field "msip_labels: <value>" folded at "; " boundaries (CRLF SP) so lines
/// stay within 78 characters where an entry allows it; unfolding gives format_msip_labels().
/// No trailing CRLF.
core::Result<std::string> format_msip_labels_field(const MsipHeader& header);

/// The enabled labels of `header` that belong to tenant `site_id` (a label without SiteId counts
/// as ours), in header order. A label with Enabled=false or absent counts as removed.
std::vector<const MsipLabel*> tenant_labels(const MsipHeader& header, std::string_view site_id);

}  // namespace smimegw::policy
