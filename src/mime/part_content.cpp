// mime: decoded part content and part lookup.
#include "smimegw/mime/part_content.hpp"

#include "smimegw/mime/charset.hpp"
#include "smimegw/mime/transfer_encoding.hpp"

namespace smimegw::mime {

core::Result<std::string> decode_body(const Message& msg, const Part& part, bool strict) {
  return decode_transfer(msg.bytes(part.body), part.transfer_encoding, strict);
}

core::Result<std::string> decode_text(const Message& msg, const Part& part) {
  auto bytes = decode_body(msg, part);
  if (!bytes) return bytes;
  return to_utf8(*bytes, part.charset());
}

const Part* find_part(const Part& root, std::string_view type, std::string_view subtype) {
  if (root.content_type.is(type, subtype)) return &root;
  for (const Part& c : root.children)
    if (const Part* p = find_part(c, type, subtype)) return p;
  return nullptr;
}

}  // namespace smimegw::mime
