// mailbox: body/attachment classification of a parsed message (see layout.hpp).
#include "layout.hpp"

namespace smimegw::mailbox::detail {

namespace {
void walk(const mime::Part& p, bool in_related, Layout& out) {
  const auto& ct = p.content_type;
  if (ct.is_multipart() && !p.children.empty()) {
    if (ct.subtype == "signed") {
      walk(p.children.front(), in_related, out);
      return;
    }
    for (const auto& c : p.children) walk(c, in_related || ct.subtype == "related", out);
    return;
  }
  if (ct.type == "application" &&
      (ct.subtype == "pkcs7-signature" || ct.subtype == "x-pkcs7-signature"))
    return;
  const bool named = !part_name(p).empty();
  if (ct.type == "text" && !p.is_attachment() && !named) {
    if (ct.subtype == "plain" && !out.text) {
      out.text = &p;
      return;
    }
    if (ct.subtype == "html" && !out.html) {
      out.html = &p;
      return;
    }
  }
  const bool disposition_inline = p.disposition && p.disposition->type == "inline";
  // a further unnamed inline text part (a list footer, the text of a signed part after a list
  // header) is inline content, not something the user attached
  const bool extra_text = ct.type == "text" && !named;
  out.attachments.push_back(
      {&p, !p.is_attachment() && (in_related || disposition_inline || extra_text)});
}
}  // namespace

bool Layout::has_attachments() const {
  for (const auto& a : attachments)
    if (!a.is_inline) return true;
  return false;
}

Layout layout(const mime::Message& msg) {
  Layout out;
  walk(msg.root, false, out);
  return out;
}

std::string part_name(const mime::Part& p) {
  if (p.disposition)
    if (auto f = p.disposition->filename(); f && !f->empty()) return *f;
  if (auto n = p.content_type.params.get("name"); n && !n->empty()) return *n;
  return {};
}

}  // namespace smimegw::mailbox::detail
