// cms/pkcs12 (private): pairs private keys with their certificates. The localKeyId attribute
// decides first (that is what OpenSSL, NSS and Windows write); a key without one, or whose id
// matches no certificate, takes the first unpaired certificate with the same public key.
#include "pkcs12_bags.hpp"

namespace smimegw::cms::pkcs12_detail {
namespace {
bool same_public_key(const Botan::Private_Key& key, const RawCert& cert) {
  if (!cert.cert) return false;
  try {
    return key.public_key_bits() == cert.cert->subject_public_key_bitstring();
  } catch (const std::exception&) {
    return false;
  }
}
}  // namespace

Pkcs12Contents pair_bags(BagCollection&& bags) {
  Pkcs12Contents out;
  std::vector<bool> used(bags.certs.size(), false);
  for (RawKey& raw : bags.keys) {
    Pkcs12Entry e;
    e.private_key = std::move(raw.key);
    e.friendly_name = std::move(raw.friendly_name);
    e.local_key_id = std::move(raw.local_key_id);
    std::size_t match = bags.certs.size();
    if (!e.local_key_id.empty()) {
      for (std::size_t i = 0; i < bags.certs.size() && match == bags.certs.size(); ++i)
        if (!used[i] && bags.certs[i].local_key_id == e.local_key_id) match = i;
    }
    for (std::size_t i = 0; i < bags.certs.size() && match == bags.certs.size(); ++i)
      if (!used[i] && same_public_key(*e.private_key, bags.certs[i])) match = i;
    if (match < bags.certs.size()) {
      used[match] = true;
      RawCert& c = bags.certs[match];
      e.certificate = c.cert;
      e.certificate_der = c.der;
      if (e.friendly_name.empty()) e.friendly_name = c.friendly_name;
      if (e.local_key_id.empty()) e.local_key_id = c.local_key_id;
    }
    out.entries.push_back(std::move(e));
  }
  for (std::size_t i = 0; i < bags.certs.size(); ++i) {
    if (used[i]) continue;
    RawCert& c = bags.certs[i];
    out.extra_certificates.push_back(Pkcs12Certificate{std::move(c.der), std::move(c.cert),
                                                       std::move(c.friendly_name),
                                                       std::move(c.local_key_id)});
  }
  out.notes = std::move(bags.notes);
  return out;
}

}  // namespace smimegw::cms::pkcs12_detail
