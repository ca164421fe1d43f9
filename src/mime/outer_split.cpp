// mime: RFC 8551 §3.1 outer/inner header split and re-wrap.
#include "smimegw/mime/outer_split.hpp"

#include "smimegw/mime/canonical.hpp"
#include "smimegw/mime/parser.hpp"

namespace smimegw::mime {
namespace {

bool is_content_field(std::string_view name) {
  return name.size() >= 8 && iequals(name.substr(0, 8), "content-");
}

/// Appends `bytes` to `out` in canonical CRLF form without a temporary copy (a 25 MiB body is
/// copied once, into a buffer reserved for it).
void append_canonical(std::string& out, std::string_view bytes) {
  std::size_t bare = 0;
  for (std::size_t lf = bytes.find('\n'); lf != std::string_view::npos;
       lf = bytes.find('\n', lf + 1))
    if (lf == 0 || bytes[lf - 1] != '\r') ++bare;
  out.reserve(out.size() + bytes.size() + bare);
  if (bare == 0) {
    out.append(bytes);
    return;
  }
  std::size_t pos = 0;
  for (std::size_t lf = bytes.find('\n'); lf != std::string_view::npos;
       lf = bytes.find('\n', lf + 1)) {
    out.append(bytes.substr(pos, lf - pos));
    if (lf == 0 || bytes[lf - 1] != '\r') out.push_back('\r');
    out.push_back('\n');
    pos = lf + 1;
  }
  out.append(bytes.substr(pos));
}

}  // namespace

SplitMessage split_outer(const Message& msg) {
  SplitMessage out;
  std::string content_headers;
  bool has_type = false;
  for (const HeaderField& f : msg.root.headers) {
    std::string_view field = msg.bytes(f.field);
    if (is_content_field(f.name)) {
      has_type = has_type || iequals(f.name, "Content-Type");
      content_headers += canonical_crlf(field);
      if (content_headers.empty() || content_headers.back() != '\n') content_headers += "\r\n";
    } else if (!iequals(f.name, "MIME-Version")) {
      out.outer.add_raw(f.name, std::string(msg.bytes(f.value)));
    }
  }
  if (!has_type) content_headers.insert(0, "Content-Type: text/plain; charset=us-ascii\r\n");
  out.content = std::move(content_headers);
  out.content += "\r\n";
  append_canonical(out.content, msg.bytes(msg.root.body));
  return out;
}

std::string wrap_outer(const HeaderBlock& outer, std::string_view content_entity) {
  HeaderBlock h = outer;
  h.remove("MIME-Version");
  // Fields the entity carries itself (e.g. a protected Subject after decryption) win.
  Limits lim;
  lim.max_parts = 4;
  lim.max_depth = 2;
  std::size_t header_end =
      content_entity.starts_with("\r\n") ? std::string_view::npos : content_entity.find("\r\n\r\n");
  std::string_view head =
      content_entity.substr(0, header_end == std::string_view::npos ? 0 : header_end + 2);
  if (auto e = parse(head, lim)) {
    for (const HeaderField& f : e->root.headers)
      if (!is_content_field(f.name)) h.remove(f.name);
  }
  std::string out = h.str();
  out += "MIME-Version: 1.0\r\n";
  out += content_entity;
  return out;
}

}  // namespace smimegw::mime
