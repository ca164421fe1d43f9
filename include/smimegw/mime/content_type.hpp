// mime: Content-Type and Content-Disposition values (RFC 2045 §5, RFC 2183) with RFC 2231
// parameter continuations and charsets; parameter values are returned as UTF-8.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace smimegw::mime {

struct Parameters {
  std::vector<std::pair<std::string, std::string>> items;  ///< name lower-cased, value UTF-8
  /// The value of `name` (case-insensitive), if present.
  std::optional<std::string> get(std::string_view name) const;
  void set(std::string_view name, std::string value);
};

struct ContentType {
  std::string type = "text";  ///< lower-cased
  std::string subtype = "plain";
  Parameters params;

  std::string mime_type() const { return type + "/" + subtype; }
  bool is(std::string_view t, std::string_view s) const { return type == t && subtype == s; }
  bool is_multipart() const { return type == "multipart"; }
  /// Serialises as `type/subtype; name=value; ...` (quoting as needed, RFC 2231 for non-ASCII).
  std::string str() const;
};

struct ContentDisposition {
  std::string type;  ///< lower-cased: inline, attachment, ...
  Parameters params;
  bool is_attachment() const { return type == "attachment"; }
  std::optional<std::string> filename() const { return params.get("filename"); }
};

/// Parses a Content-Type value (unfolded). Returns nullopt if there is no valid type/subtype,
/// in which case RFC 2045 §5.2 says to assume text/plain; charset=us-ascii.
std::optional<ContentType> parse_content_type(std::string_view value);
std::optional<ContentDisposition> parse_content_disposition(std::string_view value);
/// Parses `; name=value ...` parameter lists, joining RFC 2231 continuations and decoding
/// charset'lang'%XX values (and RFC 2047 words that some mailers put in filenames) to UTF-8.
Parameters parse_parameters(std::string_view text);

}  // namespace smimegw::mime
