// mime: leaf entity rebuilding shared by marking and 7-bit conversion.
#include "part_rewrite.hpp"

#include "smimegw/mime/canonical.hpp"

namespace smimegw::mime::detail {

std::string rebuild_leaf(const Message& msg, const Part& p, std::string_view encoded_body,
                         std::string_view cte, const std::optional<std::string>& charset) {
  std::string headers;
  bool have_cte = false, have_ct = false;
  for (const HeaderField& f : p.headers) {
    if (charset && iequals(f.name, "Content-Type") && !have_ct) {
      have_ct = true;
      ContentType ct = p.content_type;
      ct.params.set("charset", *charset);
      headers += f.name + ": " + ct.str() + "\r\n";
    } else if (iequals(f.name, "Content-Transfer-Encoding")) {
      if (have_cte) continue;  // duplicates would contradict the new one
      have_cte = true;
      headers += cte == p.transfer_encoding ? canonical_crlf(msg.bytes(f.field))
                                            : f.name + ": " + std::string(cte) + "\r\n";
    } else {
      headers += canonical_crlf(msg.bytes(f.field));
    }
    if (headers.back() != '\n') headers += "\r\n";
  }
  if (charset && !have_ct) {
    ContentType ct = p.content_type;
    ct.params.set("charset", *charset);
    headers += "Content-Type: " + ct.str() + "\r\n";
  }
  if (!have_cte && cte != p.transfer_encoding)
    headers += "Content-Transfer-Encoding: " + std::string(cte) + "\r\n";
  std::string out;
  out.reserve(headers.size() + 2 + encoded_body.size());
  out = std::move(headers);
  out += "\r\n";
  out += encoded_body;
  return out;
}

}  // namespace smimegw::mime::detail
