// cms (private): shared helpers (common.hpp).
#include "common.hpp"

#include <ctime>

namespace smimegw::cms::detail {

der::Node issuer_and_serial(const Botan::X509_Certificate& cert) {
  std::vector<der::Node> c;
  c.push_back(der::Node::raw(cert.raw_issuer_dn()));
  c.push_back(der::integer_bytes(cert.serial_number()));
  return der::Node::cons(der::kSequence, std::move(c));
}

core::Result<der::Node> identifier(const Botan::X509_Certificate& cert, SignerIdKind kind) {
  if (kind == SignerIdKind::issuer_serial) return issuer_and_serial(cert);
  const auto& ski = cert.subject_key_id();
  if (ski.empty())
    return err(errc::kInvalidArgument, "certificate has no subjectKeyIdentifier extension");
  return der::Node::prim(der::ctx(0, false), ski);
}

core::Result<SignerId> parse_identifier(const ber::Tlv& t) {
  SignerId id;
  if (t.is(ber::kContext, 0)) {
    auto ski = ber::octets_copy(t);
    if (!ski) return ski.error();
    if (ski->empty()) return err(errc::kMalformed, "CMS: empty subjectKeyIdentifier");
    id.subject_key_id = std::move(*ski);
    return id;
  }
  if (!t.is_universal(ber::kSequence))
    return err(errc::kMalformed, "CMS: bad signer/recipient identifier");
  ber::Reader r(t.content);
  auto name = r.expect(ber::kUniversal, ber::kSequence, "issuer");
  if (!name) return name.error();
  auto serial = r.next();
  if (!serial) return serial.error();
  auto s = ber::unsigned_int(*serial);
  if (!s) return s.error();
  id.issuer_der.assign(name->whole.begin(), name->whole.end());
  id.serial = std::move(*s);
  return id;
}

core::Result<std::chrono::system_clock::time_point> parse_time(const ber::Tlv& t) {
  const bool utc = t.is_universal(ber::kUtcTime);
  if (!utc && !t.is_universal(ber::kGeneralizedTime))
    return err(errc::kMalformed, "CMS: signingTime is not a Time");
  const std::string s(t.content.begin(), t.content.end());
  const std::size_t ylen = utc ? 2 : 4;
  if (s.size() < ylen + 10 || s.back() != 'Z') return err(errc::kMalformed, "CMS: bad signingTime");
  for (std::size_t i = 0; i < ylen + 10; ++i)
    if (s[i] < '0' || s[i] > '9') return err(errc::kMalformed, "CMS: bad signingTime");
  auto num = [&](std::size_t pos, std::size_t n) { return std::stoi(s.substr(pos, n)); };
  std::tm tm{};
  int year = num(0, ylen);
  if (utc) year += year < 50 ? 2000 : 1900;
  tm.tm_year = year - 1900;
  tm.tm_mon = num(ylen, 2) - 1;
  tm.tm_mday = num(ylen + 2, 2);
  tm.tm_hour = num(ylen + 4, 2);
  tm.tm_min = num(ylen + 6, 2);
  tm.tm_sec = num(ylen + 8, 2);
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

}  // namespace smimegw::cms::detail

namespace smimegw::cms {

bool matches(const SignerId& sid, const Botan::X509_Certificate& cert) {
  if (sid.is_ski()) return cert.subject_key_id() == sid.subject_key_id;
  if (sid.issuer_der != cert.raw_issuer_dn()) return false;
  std::vector<std::uint8_t> s = cert.serial_number();
  std::size_t i = 0;
  while (i + 1 < s.size() && s[i] == 0) ++i;
  return std::vector<std::uint8_t>(s.begin() + i, s.end()) == sid.serial;
}

}  // namespace smimegw::cms
