// mime: an ordered, editable list of header fields for building entities and messages.
// Values given to it are checked for CR, LF and NUL (header injection) and rejected.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "smimegw/core/result.hpp"

namespace smimegw::mime {

class HeaderBlock {
 public:
  struct Field {
    std::string name;
    std::string value;      ///< 7-bit (already encoded); raw text after the colon when verbatim
    bool verbatim = false;  ///< emitted exactly as `name:value` (a field taken from a message)
  };

  /// Appends `name: value`. A non-ASCII value is RFC 2047-encoded (unstructured fields only:
  /// for structured fields pass an ASCII value). CR/LF/NUL → header_injection; a bad name →
  /// bad_header_name.
  core::Status add(std::string_view name, std::string_view value);
  /// Inserts `name: value` before all other fields (trace fields such as
  /// Authentication-Results go on top). Same checks as add().
  core::Status prepend(std::string_view name, std::string_view value);
  /// Replaces all fields `name` with one (at the first one's position, else appended).
  core::Status set(std::string_view name, std::string_view value);
  /// Removes all fields `name`; returns how many were removed.
  std::size_t remove(std::string_view name);
  /// Appends a field received verbatim: `value` is the raw text after the colon, folding kept.
  void add_raw(std::string name, std::string value) {
    fields_.push_back({std::move(name), std::move(value), true});
  }
  void append(Field f) { fields_.push_back(std::move(f)); }
  const Field* find(std::string_view name) const;
  const std::vector<Field>& fields() const { return fields_; }
  bool empty() const { return fields_.empty(); }
  /// Serialises as CRLF-terminated fields, folding values longer than 78 columns at whitespace
  /// (lines never exceed 998). No blank line is appended.
  std::string str() const;

 private:
  std::vector<Field> fields_;
};

/// Validates a header value given by a caller: no CR, LF or NUL.
core::Status check_header_value(std::string_view value);

}  // namespace smimegw::mime
