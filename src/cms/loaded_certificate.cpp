// cms: certificate loading with the 99991231235959Z workaround (loaded_certificate.hpp).
#include "smimegw/cms/loaded_certificate.hpp"

#include <botan/data_src.h>
#include <botan/x509_obj.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>

#include "ber.hpp"
#include "smimegw/cms/errors.hpp"

namespace smimegw::cms {

namespace {

constexpr std::string_view kNoExpiry = "99991231235959Z";

/// A signed X.509 object whose TBS is kept as raw bytes and never decoded: lets Botan check
/// the signature over exactly the bytes that were signed.
class RawSignedObject final : public Botan::X509_Object {
 public:
  explicit RawSignedObject(std::span<const std::uint8_t> der) {
    Botan::DataSource_Memory src(der.data(), der.size());
    load_data(src);
  }
  std::string PEM_label() const override { return "CERTIFICATE"; }

 private:
  void force_decode() override {}
};

/// Offset of the notAfter GeneralizedTime content when it is `time` (99991231235959Z or the
/// stand-in): walks Certificate → TBSCertificate → [version] serial signature issuer validity →
/// notAfter.
std::optional<std::size_t> not_after_offset(std::span<const std::uint8_t> der,
                                            std::string_view time) {
  auto cert = ber::read_tlv(der, 4);
  if (!cert || !cert->is_universal(ber::kSequence)) return std::nullopt;
  ber::Reader cr(cert->content);
  auto tbs = cr.next();
  if (!tbs || !tbs->is_universal(ber::kSequence)) return std::nullopt;
  ber::Reader tr(tbs->content);
  (void)tr.next_if(ber::kContext, 0);  // version
  for (int i = 0; i < 3; ++i)          // serialNumber, signature, issuer
    if (!tr.next()) return std::nullopt;
  auto validity = tr.next();
  if (!validity || !validity->is_universal(ber::kSequence)) return std::nullopt;
  ber::Reader vr(validity->content);
  if (!vr.next()) return std::nullopt;  // notBefore
  auto not_after = vr.next();
  if (!not_after || !not_after->is_universal(ber::kGeneralizedTime)) return std::nullopt;
  const auto& c = not_after->content;
  if (!std::equal(c.begin(), c.end(), time.begin(), time.end())) return std::nullopt;
  return static_cast<std::size_t>(c.data() - der.data());
}

}  // namespace

core::Result<LoadedCertificate> load_certificate(std::span<const std::uint8_t> der) {
  std::vector<std::uint8_t> bytes(der.begin(), der.end());
  try {
    return LoadedCertificate{Botan::X509_Certificate(bytes), std::move(bytes), false};
  } catch (const std::exception& first) {
    const auto at = not_after_offset(der, kNoExpiry);
    std::string why = first.what();
    if (why.size() > 120) why.resize(120);
    if (!at) return ber::error(errc::kMalformed, "certificate does not load: " + why);
    std::vector<std::uint8_t> patched = bytes;
    std::copy(kNoExpiryStandIn.begin(), kNoExpiryStandIn.end(), patched.begin() + *at);
    try {
      return LoadedCertificate{Botan::X509_Certificate(patched), std::move(bytes), true};
    } catch (const std::exception& e) {
      why = e.what();
      if (why.size() > 120) why.resize(120);
      return ber::error(errc::kMalformed, "certificate does not load: " + why);
    }
  }
}

Botan::X509_Certificate decoded_certificate(std::span<const std::uint8_t> der) {
  static std::mutex mu;
  static std::map<std::string, Botan::X509_Certificate> memo;
  std::string id(der.begin(), der.end());
  {
    std::lock_guard lock(mu);
    if (auto it = memo.find(id); it != memo.end()) return it->second;
  }
  auto loaded = load_certificate(der);
  if (!loaded) throw std::invalid_argument(loaded.error().message);
  std::lock_guard lock(mu);
  if (memo.size() >= 4096) memo.clear();
  memo.emplace(std::move(id), loaded->certificate);
  return loaded->certificate;
}

std::optional<std::vector<std::uint8_t>> no_expiry_original(const Botan::X509_Certificate& cert) {
  try {
    auto der = cert.BER_encode();
    const auto at = not_after_offset(der, kNoExpiryStandIn);
    if (!at) return std::nullopt;
    std::copy(kNoExpiry.begin(), kNoExpiry.end(), der.begin() + *at);
    return der;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

bool issuer_signature_valid(std::span<const std::uint8_t> cert_der,
                            const Botan::Public_Key& issuer_key) {
  try {
    return RawSignedObject(cert_der).check_signature(issuer_key);
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace smimegw::cms
