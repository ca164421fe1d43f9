// cms: certificate identifiers from DER (certificate_id.hpp).
#include "smimegw/cms/certificate_id.hpp"

#include "common.hpp"
#include "smimegw/cms/enveloped_data.hpp"

namespace smimegw::cms {

namespace {

constexpr std::string_view kSkiOid = "2.5.29.14";

core::Result<CertificateId> parse(std::span<const std::uint8_t> der) {
  Limits limits;
  auto v = ber::validate(der, limits);
  if (!v) return v.error();
  auto cert = ber::read_tlv(der);
  if (!cert) return cert.error();
  if (!cert->is_universal(ber::kSequence))
    return detail::err(errc::kMalformed, "certificate is not a SEQUENCE");
  ber::Reader cr(cert->content);
  auto tbs = cr.expect(ber::kUniversal, ber::kSequence, "tbsCertificate");
  if (!tbs) return tbs.error();
  ber::Reader r(tbs->content);
  (void)r.next_if(ber::kContext, 0);  // version
  auto serial = r.next();
  if (!serial) return serial.error();
  auto s = ber::unsigned_int(*serial);
  if (!s) return s.error();
  if (auto alg = r.next(); !alg) return alg.error();
  auto issuer = r.expect(ber::kUniversal, ber::kSequence, "issuer");
  if (!issuer) return issuer.error();
  CertificateId id;
  id.issuer_der.assign(issuer->whole.begin(), issuer->whole.end());
  id.serial = std::move(*s);
  for (int i = 0; i < 3; ++i)  // validity, subject, subjectPublicKeyInfo
    if (auto t = r.next(); !t) return t.error();
  while (!r.at_end()) {
    auto t = r.next();
    if (!t) return t.error();
    if (!t->is(ber::kContext, 3)) continue;
    ber::Reader er(t->content);
    auto exts = er.expect(ber::kUniversal, ber::kSequence, "extensions");
    if (!exts) return exts.error();
    ber::Reader xr(exts->content);
    while (!xr.at_end()) {
      auto ext = xr.next();
      if (!ext) return ext.error();
      ber::Reader e(ext->content);
      auto o = e.next();
      if (!o) return o.error();
      auto os = ber::oid_string(*o);
      if (!os) return os.error();
      if (*os != kSkiOid) continue;
      (void)e.next_if(ber::kUniversal, 1);  // critical
      auto val = e.expect(ber::kUniversal, ber::kOctetString, "extnValue");
      if (!val) return val.error();
      auto inner = ber::read_tlv(val->content);
      if (!inner || !inner->is_universal(ber::kOctetString))
        return detail::err(errc::kMalformed, "bad subjectKeyIdentifier");
      id.subject_key_id.assign(inner->content.begin(), inner->content.end());
    }
  }
  return id;
}

}  // namespace

core::Result<CertificateId> certificate_id(std::span<const std::uint8_t> der) {
  return detail::guarded(errc::kMalformed, "certificate", [&] { return parse(der); });
}

CertificateId certificate_id(const Botan::X509_Certificate& cert) {
  CertificateId id;
  id.issuer_der = cert.raw_issuer_dn();
  const auto& s = cert.serial_number();
  std::size_t i = 0;
  while (i + 1 < s.size() && s[i] == 0) ++i;
  id.serial.assign(s.begin() + static_cast<long>(i), s.end());
  id.subject_key_id = cert.subject_key_id();
  return id;
}

DecryptKey::DecryptKey(const Botan::X509_Certificate& cert, const Botan::Private_Key* k)
    : certificate(certificate_id(cert)), key(k) {}

bool matches(const SignerId& sid, const CertificateId& cert) {
  if (sid.is_ski())
    return !cert.subject_key_id.empty() && cert.subject_key_id == sid.subject_key_id;
  return sid.issuer_der == cert.issuer_der && sid.serial == cert.serial;
}

}  // namespace smimegw::cms
