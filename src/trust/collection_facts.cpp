// trust: the facts the collection stores about one certificate (collection.hpp
// describe_certificate): thumbprint, names, root or intermediate, CA or not, validity.
#include <botan/hash.h>
#include <botan/hex.h>
#include <botan/pk_keys.h>
#include <botan/pkix_types.h>
#include <botan/x509cert.h>

#include <cstdio>
#include <ctime>
#include <stdexcept>

#include "smimegw/cms/loaded_certificate.hpp"
#include "smimegw/trust/collection.hpp"

namespace smimegw::trust {
namespace {

using Clock = std::chrono::system_clock;

// RFC 4514 order (most specific first) with the usual short names; other types by dotted OID.
std::string dn_string(const Botan::X509_DN& dn) {
  static const std::vector<std::pair<std::string, std::string>> names = {
      {"2.5.4.3", "CN"},
      {"2.5.4.10", "O"},
      {"2.5.4.11", "OU"},
      {"2.5.4.6", "C"},
      {"2.5.4.7", "L"},
      {"2.5.4.8", "ST"},
      {"2.5.4.5", "serialNumber"},
      {"1.2.840.113549.1.9.1", "emailAddress"},
      {"0.9.2342.19200300.100.1.25", "DC"}};
  std::string out;
  const auto& info = dn.dn_info();
  for (auto it = info.rbegin(); it != info.rend(); ++it) {
    std::string oid = it->first.to_string(), key = oid;
    for (const auto& [o, n] : names)
      if (o == oid) key = n;
    std::string value;
    for (char c : it->second.value()) {
      if (c == ',' || c == '+' || c == '"' || c == '\\' || c == '<' || c == '>' || c == ';')
        value += '\\';
      value += c;
    }
    out += (out.empty() ? "" : ", ") + key + "=" + value;
  }
  return out;
}

// From the readable form rather than X509_Time::time_since_epoch(), which throws for years
// before 1970 (PKITS has valid CAs from 1950) and, with a 32-bit time_t, after 2037.
Clock::time_point to_time(const Botan::X509_Time& t) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
  if (std::sscanf(t.readable_string().c_str(), "%d/%d/%d %d:%d:%d", &y, &mo, &d, &h, &mi, &se) != 6)
    throw std::runtime_error("unreadable validity time");
  // system_clock counts nanoseconds and ends in 2262: later times (a no-expiry certificate's
  // stand-in 2399) are kept as the last representable second of 2261.
  if (y > 2261) y = 2261, mo = 12, d = 31, h = 23, mi = 59, se = 59;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = se;
  return Clock::from_time_t(timegm(&tm));
}

}  // namespace

core::Result<AnchorFacts> describe_certificate(std::span<const std::uint8_t> der) {
  try {
    auto loaded = cms::load_certificate(der);
    if (!loaded)
      return core::Error::make("unparsable",
                               "not a readable X.509 certificate: " + loaded.error().message);
    const Botan::X509_Certificate& cert = loaded->certificate;
    AnchorFacts f;
    f.anchor.der.assign(der.begin(), der.end());
    auto sha = Botan::HashFunction::create_or_throw("SHA-256");
    f.anchor.sha256 = Botan::hex_encode(sha->process(der.data(), der.size()), false);
    f.anchor.subject = dn_string(cert.subject_dn());
    f.anchor.issuer = dn_string(cert.issuer_dn());
    // over the bytes as issued, also for a no-expiry root (read with a stand-in time)
    bool self_signed = false;
    if (cert.subject_dn() == cert.issuer_dn()) {
      try {
        std::unique_ptr<Botan::Public_Key> pub(cert.subject_public_key());
        self_signed = pub && cms::issuer_signature_valid(der, *pub);
      } catch (const std::exception&) {
      }
    }
    f.anchor.is_root = self_signed;
    // RFC 5280 §6.1: a v1 self-signed certificate may serve as a trust anchor.
    f.is_ca = cert.is_CA_cert() || (cert.x509_version() == 1 && self_signed);
    f.anchor.not_after = to_time(cert.not_after());
    f.not_before = to_time(cert.not_before());
    return f;
  } catch (const std::exception& e) {
    return core::Error::make("unparsable",
                             std::string("not a readable X.509 certificate: ") + e.what());
  }
}

}  // namespace smimegw::trust
