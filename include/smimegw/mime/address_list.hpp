// mime: RFC 5322 address lists (From/To/Cc), parsed with GMime; groups are flattened.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace smimegw::mime {

struct Mailbox {
  std::string display_name;  ///< UTF-8, RFC 2047 decoded; may be empty
  std::string address;       ///< addr-spec
};

/// Parses an unfolded address-list value. Invalid entries are skipped.
std::vector<Mailbox> parse_address_list(std::string_view value);
/// Formats one mailbox for a header: `addr`, `Name <addr>`, `"Doe, J." <addr>`, or an RFC 2047
/// encoded display name when it is not ASCII. CR/LF/NUL in either field are dropped.
std::string format_mailbox(const Mailbox& m);

}  // namespace smimegw::mime
