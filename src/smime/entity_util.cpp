// smime: entity classification and pkcs7 body decoding.
#include "entity_util.hpp"

#include <algorithm>
#include <cctype>

#include "smimegw/mime/canonical.hpp"
#include "smimegw/mime/header_field.hpp"
#include "smimegw/mime/part_content.hpp"
#include "smimegw/mime/transfer_encoding.hpp"

namespace smimegw::smime {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool ends_with_p7m(const std::optional<std::string>& name) {
  if (!name) return false;
  return lower(*name).ends_with(".p7m");
}

}  // namespace

EntityKind classify(const mime::Part& root) {
  const auto& ct = root.content_type;
  if (ct.is("multipart", "signed")) {
    // multipart/signed with another protocol (PGP/MIME) is not an S/MIME layer.
    auto protocol = ct.params.get("protocol");
    if (protocol && lower(*protocol) != "application/pkcs7-signature" &&
        lower(*protocol) != "application/x-pkcs7-signature")
      return EntityKind::plain;
    return EntityKind::multipart_signed;
  }
  if (ct.is("application", "pkcs7-mime") || ct.is("application", "x-pkcs7-mime"))
    return EntityKind::pkcs7_mime;
  if (ct.is("application", "octet-stream")) {
    auto name = ct.params.get("name");
    if (!name && root.disposition) name = root.disposition->filename();
    if (ends_with_p7m(name)) return EntityKind::pkcs7_mime;
  }
  return EntityKind::plain;
}

std::string smime_type_of(const mime::Part& root) {
  auto t = root.content_type.params.get("smime-type");
  return t ? lower(*t) : std::string();
}

mime::HeaderBlock outer_fields(const mime::Message& m) {
  mime::HeaderBlock h;
  for (const auto& f : m.root.headers) {
    if (f.name.size() >= 8 && mime::iequals(std::string_view(f.name).substr(0, 8), "content-"))
      continue;
    if (mime::iequals(f.name, "MIME-Version")) continue;
    h.add_raw(f.name, std::string(m.bytes(f.value)));
  }
  return h;
}

std::string canonical_owned(std::string entity) {
  for (std::size_t pos = entity.find('\n'); pos != std::string::npos;
       pos = entity.find('\n', pos + 1))
    if (pos == 0 || entity[pos - 1] != '\r') return mime::canonical_crlf(entity);
  return entity;
}

core::Result<std::string> pkcs7_body(const mime::Message& msg, const mime::Part& p) {
  auto body = mime::decode_body(msg, p, true);
  if (!body) return body.error();
  std::string_view b = *body;
  if (b.find("-----BEGIN") != std::string_view::npos) {
    // PEM armour inside a MIME body (seen from some tools): strip it and decode the base64.
    auto start = b.find('\n', b.find("-----BEGIN"));
    auto end = b.find("-----END");
    if (start == std::string_view::npos || end == std::string_view::npos || end < start)
      return core::Error::make("malformed", "broken PEM armour in the pkcs7 body");
    return mime::decode_transfer(b.substr(start + 1, end - start - 1), "base64", true);
  }
  return body;
}

}  // namespace smimegw::smime
