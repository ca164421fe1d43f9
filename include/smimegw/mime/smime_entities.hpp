// mime: the S/MIME entity shapes of RFC 8551 §3.4–3.5.
#pragma once

#include <string>
#include <string_view>

namespace smimegw::mime {

enum class SmimeType { EnvelopedData, AuthEnvelopedData, SignedData };

/// Builds `multipart/signed; protocol="application/pkcs7-signature"; micalg=...` around
/// `signed_entity` (exactly the canonical bytes that were signed; they are inserted unchanged)
/// and the detached signature DER (base64, smime.p7s). Returns headers + body.
std::string build_multipart_signed(std::string_view signed_entity, std::string_view signature_der,
                                   std::string_view micalg = "sha-256");
/// Builds `application/pkcs7-mime; smime-type=...; name=smime.p7m` (base64) from CMS DER.
std::string build_pkcs7_mime(std::string_view der, SmimeType type);
/// The same entity appended to `out` (e.g. after the outer header fields), growing it once.
void append_pkcs7_mime(std::string& out, std::string_view der, SmimeType type);

}  // namespace smimegw::mime
