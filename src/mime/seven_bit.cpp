// mime: 7-bit conversion of a parsed entity (RFC 2045 §2.7, RFC 8551 §3.1.2).
#include "smimegw/mime/seven_bit.hpp"

#include <vector>

#include "part_rewrite.hpp"
#include "smimegw/mime/canonical.hpp"
#include "smimegw/mime/entity_builder.hpp"
#include "smimegw/mime/transfer_encoding.hpp"

namespace smimegw::mime {
namespace {

bool seven_bit_safe(std::string_view s) {
  std::size_t col = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '\n') {
      col = 0;
      continue;
    }
    if (c >= 0x80 || c == 0 || (c == '\r' && (i + 1 == s.size() || s[i + 1] != '\n'))) return false;
    if (c != '\r' && ++col > 998) return false;
  }
  return true;
}

/// True when every LF is preceded by CR (canonical_crlf would copy the bytes unchanged).
bool is_crlf(std::string_view s) {
  for (std::size_t i = s.find('\n'); i != std::string_view::npos; i = s.find('\n', i + 1))
    if (i == 0 || s[i - 1] != '\r') return false;
  return true;
}

bool is_protected(const ContentType& ct) {
  return ct.is("multipart", "signed") || ct.is("multipart", "encrypted") ||
         (ct.type == "application" && (ct.subtype == "pkcs7-mime" || ct.subtype == "x-pkcs7-mime"));
}

void collect(const Message& msg, const Part& p, std::vector<const Part*>& out) {
  if (is_protected(p.content_type)) return;
  if (!p.children.empty()) {
    for (const Part& c : p.children) collect(msg, c, out);
    return;
  }
  if (p.content_type.is_multipart()) return;  // no delimiters: nothing we can re-encode safely
  const std::string& cte = p.transfer_encoding;
  if ((cte == "7bit" || cte == "8bit" || cte == "binary") && !seven_bit_safe(msg.bytes(p.body)))
    out.push_back(&p);
}

}  // namespace

SevenBitResult to_7bit(const Message& msg) {
  std::vector<const Part*> targets;
  collect(msg, msg.root, targets);
  SevenBitResult r;
  std::string out;
  out.reserve(msg.raw.size() + msg.raw.size() / 3 + 1024);
  std::size_t pos = 0;
  for (const Part* p : targets) {
    std::string_view body = msg.bytes(p->body);
    std::string cte = choose_transfer_encoding(p->content_type, body);
    if (cte == "7bit") cte = "quoted-printable";  // long lines only
    std::string data = p->content_type.type == "text" && cte == "quoted-printable"
                           ? canonical_crlf(body)
                           : std::string(body);
    std::string encoded = encode_transfer(data, cte).value();
    out.append(msg.raw.substr(pos, p->entity.begin - pos));
    out += detail::rebuild_leaf(msg, *p, encoded, cte, std::nullopt);
    pos = p->entity.end;
    ++r.converted;
  }
  out.append(msg.raw.substr(pos));
  if (!is_crlf(out))
    r.entity = canonical_crlf(out);
  else
    r.entity = std::move(out);  // already canonical: no second copy (25 MiB budget)
  return r;
}

bool is_7bit(const Message& msg) {
  std::vector<const Part*> targets;
  collect(msg, msg.root, targets);
  return targets.empty();
}

}  // namespace smimegw::mime
