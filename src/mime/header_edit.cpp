// mime: header replacement over the original bytes.
#include "smimegw/mime/header_edit.hpp"

namespace smimegw::mime {

HeaderBlock header_block(const Message& msg, const Part& part) {
  HeaderBlock h;
  for (const HeaderField& f : part.headers) h.add_raw(f.name, std::string(msg.bytes(f.value)));
  return h;
}

std::string replace_header(const Message& msg, const Part& part, const HeaderBlock& headers) {
  std::string_view raw = msg.raw;
  std::string_view sep = raw.substr(part.header.end, part.body.begin - part.header.end);
  std::string out;
  out.reserve(raw.size() + 512);
  out.append(raw.substr(0, part.header.begin));
  out += headers.str();
  if (sep.empty()) {
    out += "\r\n";
  } else {
    out.append(sep);
  }
  out.append(raw.substr(part.body.begin));
  return out;
}

}  // namespace smimegw::mime
