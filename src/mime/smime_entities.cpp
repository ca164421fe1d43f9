// mime: RFC 8551 §3.5.3 (multipart/signed) and §3.2 (application/pkcs7-mime) entities.
#include "smimegw/mime/smime_entities.hpp"

#include "smimegw/mime/entity_builder.hpp"
#include "smimegw/mime/transfer_encoding.hpp"

namespace smimegw::mime {

std::string build_multipart_signed(std::string_view signed_entity, std::string_view signature_der,
                                   std::string_view micalg) {
  std::string sig = encode_base64(signature_der, false);
  std::string boundary = make_boundary({signed_entity, sig});
  std::string out;
  // The fixed text around the two parts is ~520 bytes: a reserve that falls short by a few bytes
  // makes the string double, 2× a 25 MiB entity at once (seen with massif).
  out.reserve(signed_entity.size() + sig.size() + 3 * boundary.size() + 1024);
  out += "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\";\r\n micalg=";
  for (char c : micalg)  // a token by contract (sha-256, sha-384, sha-512); never let it inject
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')
      out += c;
  out += "; boundary=\"" + boundary + "\"\r\n\r\n";
  out += "This is a cryptographically signed message in MIME format.\r\n\r\n";
  out += "--" + boundary + "\r\n";
  out += signed_entity;  // exactly the signed bytes; the CRLF below belongs to the delimiter
  out += "\r\n--" + boundary + "\r\n";
  out +=
      "Content-Type: application/pkcs7-signature; name=smime.p7s\r\n"
      "Content-Transfer-Encoding: base64\r\n"
      "Content-Disposition: attachment; filename=smime.p7s\r\n"
      "Content-Description: S/MIME Cryptographic Signature\r\n\r\n";
  out += sig;
  out += "\r\n--" + boundary + "--\r\n";
  return out;
}

std::string build_pkcs7_mime(std::string_view der, SmimeType type) {
  std::string out;
  append_pkcs7_mime(out, der, type);
  return out;
}

void append_pkcs7_mime(std::string& out, std::string_view der, SmimeType type) {
  const char* st = type == SmimeType::EnvelopedData       ? "enveloped-data"
                   : type == SmimeType::AuthEnvelopedData ? "authEnveloped-data"
                                                          : "signed-data";
  out.reserve(out.size() + 300 + (der.size() + 2) / 3 * 4 * 78 / 76 + 4);
  out += "Content-Type: application/pkcs7-mime; smime-type=";
  out += st;
  out +=
      "; name=smime.p7m\r\n"
      "Content-Transfer-Encoding: base64\r\n"
      "Content-Disposition: attachment; filename=smime.p7m\r\n";
  out += type == SmimeType::SignedData ? "Content-Description: S/MIME Signed Message\r\n\r\n"
                                       : "Content-Description: S/MIME Encrypted Message\r\n\r\n";
  append_base64(out, der);
}

}  // namespace smimegw::mime
