// libFuzzer target: crl (scripts/fuzz.sh crl SECONDS) — the trust module's CRL decode path: the
// CRL file reader (split_crls: DER or PEM "X509 CRL" blocks), IndexedCrl::parse (Botan's decoder,
// then our extension classification, issuingDistributionPoint scope parsing and the serial
// index), lookups, the signature check against a fixed issuer, and CrlCache::add. Checked:
// parse fails only with malformed_crl; every indexed serial is found again (after a leading zero
// is added); a parsed CRL goes into the cache and is found by its issuer.
#include <botan/auto_rng.h>
#include <botan/rsa.h>
#include <botan/x509self.h>

#include <cstdint>
#include <cstdlib>
#include <memory>

#include "smimegw/trust/cert_io.hpp"
#include "smimegw/trust/crl_cache.hpp"

namespace {

using namespace smimegw;
using namespace smimegw::trust;

void check(bool ok) {
  if (!ok) std::abort();
}

const Botan::X509_Certificate& issuer() {
  static const Botan::X509_Certificate c = [] {
    Botan::AutoSeeded_RNG rng;
    Botan::RSA_PrivateKey key(rng, 1024);
    Botan::X509_Cert_Options opt("Fuzz CA");
    opt.CA_key();
    return Botan::X509::create_self_signed_cert(opt, key, "SHA-256", rng);
  }();
  return c;
}

void one(std::span<const std::uint8_t> der) {
  auto crl = IndexedCrl::parse(der, "fuzz.crl");
  if (!crl) {
    check(crl.error().code == "malformed_crl");
    return;
  }
  const IndexedCrl& c = **crl;
  (void)c.is_delta();
  (void)c.unhandled_critical();
  (void)c.scope();
  (void)c.next_update();
  for (const auto& e : c.crl().get_revoked()) {
    if (e.reason_code() == Botan::REMOVE_FROM_CRL) continue;
    auto serial = e.serial_number();
    check(c.is_listed(serial));
    if (serial.empty()) continue;  // serial 0: Botan gives no bytes
    serial.insert(serial.begin(), 0);
    check(c.is_listed(serial));
  }
  (void)c.signature_valid_for(issuer());
  (void)c.signature_valid_for(issuer());  // the remembered answer
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 262144) return 0;
  const std::span<const std::uint8_t> in(data, size);
  one(in);
  auto parts = split_crls(in);
  if (!parts) return 0;
  for (const auto& p : *parts) one(p);
  CrlCache cache(nullptr);
  if (cache.add(in, "fuzz.crl")) {
    auto c = IndexedCrl::parse(in, "fuzz.crl");
    check(c.ok() && !cache.by_issuer((*c)->crl().issuer_dn()).empty());
  }
  return 0;
}
