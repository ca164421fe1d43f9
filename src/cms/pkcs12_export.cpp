// cms/pkcs12: export_pkcs12 — writes what OpenSSL 3 writes by default: certificate bags in one
// PBES2/AES-256-CBC encryptedData, shrouded key bags (PBES2/AES-256-CBC) in one data, HMAC-SHA256
// MAC; localKeyId = SHA-1 of the certificate DER. See include/smimegw/cms/pkcs12.hpp.
#include <botan/hash.h>
#include <botan/pkcs8.h>

#include "pkcs12_crypto.hpp"
#include "pkcs12_oids.hpp"

namespace smimegw::cms {
namespace d = pkcs12_detail;

namespace {

constexpr std::uint32_t kMinIterations = 2048;

d::Bytes attributes(const std::string& friendly_name, const d::Bytes& local_key_id) {
  std::vector<d::Bytes> attrs;
  if (!friendly_name.empty()) {
    const d::Bytes name = d::der(d::tag::kBmpString, d::utf8_to_utf16be(friendly_name));
    attrs.push_back(
        d::der_seq({d::view(d::der_oid(d::oid::kFriendlyName)), d::view(d::der_set({name}))}));
  }
  attrs.push_back(d::der_seq({d::view(d::der_oid(d::oid::kLocalKeyId)),
                              d::view(d::der_set({d::der_octets(local_key_id)}))}));
  return d::der_set(std::move(attrs));
}

d::Bytes cert_bag(const Botan::X509_Certificate& cert, const d::Bytes* attrs) {
  const std::vector<std::uint8_t> cert_der = cert.BER_encode();
  const d::Bytes cert_value =
      d::der_seq({d::view(d::der_oid(d::oid::kX509Certificate)),
                  d::view(d::der(d::tag::kContext0, d::der_octets(cert_der)))});
  const d::Bytes oid = d::der_oid(d::oid::kCertBag);
  const d::Bytes value = d::der(d::tag::kContext0, cert_value);
  if (!attrs) return d::der_seq({d::view(oid), d::view(value)});
  return d::der_seq({d::view(oid), d::view(value), d::view(*attrs)});
}

d::Bytes concat(const std::vector<d::Bytes>& parts) {
  d::Bytes out;
  for (const d::Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

std::vector<std::uint8_t> export_impl(std::span<const Pkcs12ExportEntry> entries,
                                      std::string_view password, Botan::RandomNumberGenerator& rng,
                                      const Pkcs12ExportOptions& options) {
  auto sha1 = Botan::HashFunction::create_or_throw("SHA-1");
  std::vector<d::Bytes> cert_bags;
  std::vector<d::Bytes> key_bags;
  for (const Pkcs12ExportEntry& e : entries) {
    const auto digest = sha1->process(e.certificate->BER_encode());
    const d::Bytes local_key_id(digest.begin(), digest.end());
    const d::Bytes attrs = attributes(e.friendly_name, local_key_id);
    cert_bags.push_back(cert_bag(*e.certificate, &attrs));

    const auto pkcs8 = Botan::PKCS8::BER_encode(*e.private_key);
    d::Bytes alg_id;
    const d::Bytes ct = d::pbes2_encrypt(d::ByteView(pkcs8.data(), pkcs8.size()), password,
                                         options.pbkdf2_iterations, rng, alg_id);
    const d::Bytes epki = d::der_seq({d::view(alg_id), d::view(d::der_octets(ct))});
    key_bags.push_back(d::der_seq({d::view(d::der_oid(d::oid::kShroudedKeyBag)),
                                   d::view(d::der(d::tag::kContext0, epki)), d::view(attrs)}));
  }
  for (const Botan::X509_Certificate& c : options.chain) cert_bags.push_back(cert_bag(c, nullptr));

  const d::Bytes data_oid = d::der_oid(d::oid::kData);
  std::vector<d::Bytes> content_infos;
  if (!cert_bags.empty()) {
    const d::Bytes safe = d::der(d::tag::kSequence, concat(cert_bags));
    d::Bytes alg_id;
    const d::Bytes ct = d::pbes2_encrypt(safe, password, options.pbkdf2_iterations, rng, alg_id);
    const d::Bytes eci = d::der_seq(
        {d::view(data_oid), d::view(alg_id), d::view(d::der(d::tag::kContext0Prim, ct))});
    const d::Bytes encrypted = d::der_seq({d::view(d::der_uint(0)), d::view(eci)});
    content_infos.push_back(d::der_seq({d::view(d::der_oid(d::oid::kEncryptedData)),
                                        d::view(d::der(d::tag::kContext0, encrypted))}));
  }
  if (!key_bags.empty()) {
    const d::Bytes safe = d::der(d::tag::kSequence, concat(key_bags));
    content_infos.push_back(
        d::der_seq({d::view(data_oid), d::view(d::der(d::tag::kContext0, d::der_octets(safe)))}));
  }
  const d::Bytes auth_safe = d::der(d::tag::kSequence, concat(content_infos));

  d::MacData mac;
  mac.hash = "SHA-256";
  mac.salt.resize(16);
  rng.randomize(mac.salt.data(), mac.salt.size());
  mac.iterations = options.mac_iterations;
  d::Bytes bmp = d::utf8_to_utf16be(password);
  bmp.push_back(0);
  bmp.push_back(0);
  mac.digest = d::compute_mac(mac, bmp, auth_safe);
  const d::Bytes null = d::der(d::tag::kNull, {});
  const d::Bytes digest_info =
      d::der_seq({d::view(d::der_seq({d::view(d::der_oid(d::oid::kSha256)), d::view(null)})),
                  d::view(d::der_octets(mac.digest))});
  const d::Bytes mac_data = d::der_seq({d::view(digest_info), d::view(d::der_octets(mac.salt)),
                                        d::view(d::der_uint(mac.iterations))});
  const d::Bytes auth =
      d::der_seq({d::view(data_oid), d::view(d::der(d::tag::kContext0, d::der_octets(auth_safe)))});
  return d::der_seq({d::view(d::der_uint(3)), d::view(auth), d::view(mac_data)});
}

}  // namespace

core::Result<std::vector<std::uint8_t>> export_pkcs12(std::span<const Pkcs12ExportEntry> entries,
                                                      std::string_view password,
                                                      Botan::RandomNumberGenerator& rng,
                                                      const Pkcs12ExportOptions& options) {
  using core::Error;
  if (options.pbkdf2_iterations < kMinIterations || options.mac_iterations < kMinIterations)
    return Error::make("invalid_argument", "PKCS#12 export needs at least 2048 iterations");
  if (entries.empty() && options.chain.empty())
    return Error::make("invalid_argument", "nothing to export");
  try {
    for (const Pkcs12ExportEntry& e : entries) {
      if (!e.private_key || !e.certificate)
        return Error::make("invalid_argument", "an export entry lacks its key or certificate");
      if (e.private_key->public_key_bits() != e.certificate->subject_public_key_bitstring())
        return Error::make("key_mismatch", "a private key does not belong to its certificate");
    }
    return export_impl(entries, password, rng, options);
  } catch (const std::exception&) {
    return Error::make("internal", "PKCS#12 export failed");
  }
}

}  // namespace smimegw::cms
