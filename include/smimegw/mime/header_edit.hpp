// mime: editing the header of a received message without touching its body (e.g. removing
// X-Smimegw-Sign before delivery, prepending Authentication-Results, removing spoofed copies).
#pragma once

#include <string>

#include "smimegw/mime/header_block.hpp"
#include "smimegw/mime/message.hpp"

namespace smimegw::mime {

/// `part`'s header fields as an editable block; every field is kept verbatim (folding included).
HeaderBlock header_block(const Message& msg, const Part& part);
/// `msg` with `part`'s header replaced by `headers`; all other bytes (body, other parts) are
/// kept exactly as received.
std::string replace_header(const Message& msg, const Part& part, const HeaderBlock& headers);

}  // namespace smimegw::mime
