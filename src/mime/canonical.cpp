// mime: canonical CRLF form (RFC 8551 §3.1.1, RFC 5751 §3.1.1).
#include "smimegw/mime/canonical.hpp"

#include <cstring>

namespace smimegw::mime {

std::string canonical_crlf(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 64);
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    const void* p = std::memchr(bytes.data() + pos, '\n', bytes.size() - pos);
    if (p == nullptr) {
      out.append(bytes.substr(pos));
      break;
    }
    std::size_t lf = static_cast<const char*>(p) - bytes.data();
    out.append(bytes.substr(pos, lf - pos));
    if (lf == 0 || bytes[lf - 1] != '\r') out.push_back('\r');
    out.push_back('\n');
    pos = lf + 1;
  }
  return out;
}

std::string signed_content(const Message& msg, const Part& signed_part) {
  if (signed_part.children.empty()) return {};
  return canonical_crlf(msg.bytes(signed_part.children.front().entity));
}

}  // namespace smimegw::mime
