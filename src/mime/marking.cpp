// mime: label marking of inline text parts (issue 7). Each marked part is decoded, the marking
// is inserted in the part's own charset, and the part is re-encoded with its own transfer
// encoding; everything outside the marked parts is kept byte for byte (then canonicalised).
#include "smimegw/mime/marking.hpp"

#include "html_marking.hpp"
#include "part_rewrite.hpp"
#include "smimegw/mime/canonical.hpp"
#include "smimegw/mime/charset.hpp"
#include "smimegw/mime/error_codes.hpp"
#include "smimegw/mime/transfer_encoding.hpp"

namespace smimegw::mime {
namespace {

bool is_protected(const ContentType& ct) {
  if (ct.is("multipart", "signed") || ct.is("multipart", "encrypted")) return true;
  return ct.type == "application" &&
         (ct.subtype == "pkcs7-mime" || ct.subtype == "x-pkcs7-mime" ||
          ct.subtype == "pkcs7-signature" || ct.subtype == "x-pkcs7-signature");
}

// The message itself signed/encrypted → signed_content. A signed or encrypted part nested
// in a multipart (a forwarded or attached one) is skipped with its whole subtree.
core::Status collect(const Part& p, std::vector<const Part*>& out,
                     std::vector<std::string>& notes) {
  if (is_protected(p.content_type)) {
    if (p.depth == 0)
      return core::Error::make(errc::kSignedContent,
                               "message is signed or encrypted; marking would break it");
    notes.push_back("nested " + p.content_type.mime_type() + " part left untouched");
    return {};
  }
  if (p.content_type.is_multipart()) {
    for (const Part& c : p.children)
      if (auto s = collect(c, out, notes); !s) return s;
  } else if ((p.content_type.is("text", "plain") || p.content_type.is("text", "html")) &&
             !p.is_attachment()) {
    out.push_back(&p);
  }
  return {};
}

struct Inserts {
  std::string top, bottom;
};

Inserts make_inserts(const Marking& m, bool html, std::string_view body) {
  Inserts in;
  if (html) {
    if (!m.header.empty())
      in.top = "<div class=\"smimegw-marking-header\">" + detail::html_escape(m.header) + "</div>";
    if (!m.footer.empty())
      in.bottom =
          "<div class=\"smimegw-marking-footer\">" + detail::html_escape(m.footer) + "</div>";
    return in;
  }
  if (!m.header.empty()) in.top = m.header + "\r\n\r\n";
  if (!m.footer.empty()) {
    bool ends_nl = !body.empty() && body.back() == '\n';
    in.bottom = (ends_nl ? "\r\n" : "\r\n\r\n") + m.footer + "\r\n";
  }
  return in;
}

core::Result<std::string> mark_part(const Message& msg, const Part& p, const Marking& m,
                                    std::vector<std::string>& notes) {
  auto decoded = decode_transfer(msg.bytes(p.body), p.transfer_encoding);
  if (!decoded) return decoded.error();
  std::string text = canonical_crlf(*decoded);  // text is CRLF-canonical (RFC 2046 §4.1.1)
  const bool html = p.content_type.subtype == "html";
  std::string charset = p.charset();
  Inserts ins = make_inserts(m, html, text);
  auto top = from_utf8(ins.top, charset);
  auto bottom = from_utf8(ins.bottom, charset);
  bool to_utf8_body = !top || !bottom;
  if (to_utf8_body) {
    auto u = to_utf8(text, charset);
    if (!u) return u.error();
    text = std::move(*u);
    notes.push_back("part in charset " + charset + " re-encoded as UTF-8 for the marking");
    charset = "utf-8";
    top = ins.top;
    bottom = ins.bottom;
  }
  std::string result = html ? detail::insert_html(text, *top, *bottom) : *top + text + *bottom;
  std::string cte = p.transfer_encoding;
  if ((cte == "7bit") && !is_ascii(result)) {
    cte = "quoted-printable";
    notes.push_back("7bit part switched to quoted-printable for 8-bit marking text");
  }
  auto encoded = encode_transfer(result, cte);
  if (!encoded) return encoded.error();

  return detail::rebuild_leaf(msg, p, *encoded, cte,
                              to_utf8_body ? std::optional<std::string>("utf-8") : std::nullopt);
}

}  // namespace

core::Result<MarkResult> mark(const Message& msg, const Marking& marking) {
  std::vector<const Part*> targets;
  MarkResult r;
  if (auto s = collect(msg.root, targets, r.notes); !s) return s.error();
  std::string out;
  out.reserve(msg.raw.size() + 1024);
  std::size_t pos = 0;
  for (const Part* p : targets) {
    auto marked = mark_part(msg, *p, marking, r.notes);
    if (!marked) {
      r.notes.push_back("part left unmarked: " + marked.error().code);
      continue;
    }
    out.append(msg.raw.substr(pos, p->entity.begin - pos));
    out += *marked;
    pos = p->entity.end;
    ++r.parts_marked;
  }
  out.append(msg.raw.substr(pos));
  r.message = canonical_crlf(out);
  return r;
}

}  // namespace smimegw::mime
