// cms/pkcs12: parse_pkcs12 — PFX, MAC check and the wrong-password / altered-file decision.
// See include/smimegw/cms/pkcs12.hpp for the contract.
#include "pkcs12_bags.hpp"
#include "pkcs12_oids.hpp"

namespace smimegw::cms {
namespace d = pkcs12_detail;

namespace {

struct Pfx {
  d::Bytes auth_safe;
  std::size_t auth_safe_depth = 0;
  std::optional<d::MacData> mac;
};

Pfx read_pfx(std::span<const std::uint8_t> der, const Pkcs12Limits& limits) {
  d::Reader top(der, 0, limits.max_depth);
  d::Tlv pfx = top.expect(d::tag::kSequence, "PFX");
  top.expect_end("PFX");
  d::Reader r = top.children(pfx);
  const std::uint64_t version =
      d::integer_value(r.expect(d::tag::kInteger, "PFX version"), "PFX version");
  if (version != 3) d::malformed("PFX version " + std::to_string(version) + " (expected 3)");
  d::Tlv auth = r.expect(d::tag::kSequence, "authSafe");
  d::Reader ar = r.children(auth);
  const std::string type = d::oid_string(ar.expect(d::tag::kOid, "authSafe content type"));
  if (type == d::oid::kSignedData)
    d::fail(d::kUnsupported, "public-key integrity mode (signedData authSafe) is not supported");
  if (type != d::oid::kData) d::malformed("authSafe content type " + type + " (expected data)");
  d::Tlv wrapper = ar.expect(d::tag::kContext0, "authSafe content");
  ar.expect_end("authSafe");
  d::Reader wr = ar.children(wrapper);
  d::Tlv os = wr.next("authSafe octets");
  wr.expect_end("authSafe content");
  if ((os.id & 0x1F) != d::tag::kOctetString || (os.id & 0xC0) != 0) d::malformed("bad authSafe");
  Pfx out;
  out.auth_safe = d::octets(os, limits.max_depth);
  out.auth_safe_depth = os.depth + 1;
  if (!r.empty()) out.mac = d::parse_mac_data(r.next("MacData"), limits);
  r.expect_end("PFX");
  return out;
}

/// Reads the bags with one password form; a decryption failure becomes `on_decrypt_failure`.
Pkcs12Contents read_with(const Pfx& pfx, const d::Password& pw, const Pkcs12Limits& limits,
                         d::WorkBudget& budget, std::string_view on_decrypt_failure,
                         const std::string& message) {
  d::BagCollection bags;
  try {
    d::read_authenticated_safe(pfx.auth_safe, pfx.auth_safe_depth, {pw, limits, budget, false},
                               bags);
  } catch (const d::Failure& f) {
    if (f.error().code == d::kDecryptFailed) d::fail(on_decrypt_failure, message);
    throw;
  }
  return d::pair_bags(std::move(bags));
}

Pkcs12Contents parse_impl(std::span<const std::uint8_t> der, std::string_view password,
                          const Pkcs12Limits& limits) {
  if (der.size() > limits.max_input_bytes)
    d::fail(d::kLimitExceeded, "PKCS#12 file of " + std::to_string(der.size()) +
                                   " bytes exceeds the limit " +
                                   std::to_string(limits.max_input_bytes));
  const Pfx pfx = read_pfx(der, limits);
  const std::vector<d::Password> variants = d::password_variants(password);
  d::WorkBudget budget(limits.max_total_iterations);

  if (!pfx.mac) {
    // No integrity check: the first password form that decrypts wins.
    for (std::size_t i = 0; i + 1 < variants.size(); ++i) {
      try {
        return read_with(pfx, variants[i], limits, budget, d::kDecryptFailed, "");
      } catch (const d::Failure& f) {
        if (f.error().code != d::kDecryptFailed) throw;
      }
    }
    Pkcs12Contents c =
        read_with(pfx, variants.back(), limits, budget, d::kWrongPassword,
                  "the PKCS#12 file does not decrypt with this password (it has no MAC)");
    c.notes.push_back("file has no MAC: integrity not verified");
    return c;
  }

  for (const d::Password& pw : variants) {
    budget.spend(pfx.mac->iterations);
    if (!d::mac_matches(*pfx.mac, pw.bmp, pfx.auth_safe)) continue;
    Pkcs12Contents c = read_with(pfx, pw, limits, budget, d::kMalformed,
                                 "a bag does not decrypt although the MAC verified");
    c.mac_verified = true;
    c.mac_algorithm = pfx.mac->hash;
    return c;
  }

  // The MAC failed: is the password wrong, or was the file altered? If the password decrypts
  // any encrypted element into well-formed DER, it is right and the MAC (or content) was changed.
  for (const d::Password& pw : variants) {
    d::BagCollection probe;
    d::read_authenticated_safe(pfx.auth_safe, pfx.auth_safe_depth, {pw, limits, budget, true},
                               probe);
    if (probe.decrypted_ok > 0)
      d::fail(d::kMacMismatch,
              "the PKCS#12 integrity check failed although the password is correct: the file was "
              "altered or corrupted");
  }
  d::fail(d::kWrongPassword, "the password is wrong (the PKCS#12 MAC does not verify)");
}

}  // namespace

core::Result<Pkcs12Contents> parse_pkcs12(std::span<const std::uint8_t> der,
                                          std::string_view password, const Pkcs12Limits& limits) {
  try {
    return parse_impl(der, password, limits);
  } catch (const d::Failure& f) {
    if (f.error().code == d::kDecryptFailed)
      return core::Error::make(std::string(d::kMalformed), "PKCS#12 decryption failed");
    return f.error();
  } catch (const std::exception&) {
    return core::Error::make(std::string(d::kMalformed), "PKCS#12 file does not decode");
  }
}

}  // namespace smimegw::cms
