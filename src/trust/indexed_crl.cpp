// trust: one decoded CRL with its serial index and extension classification (crl_cache.hpp).
#include <botan/pkix_types.h>
#include <botan/x509_key.h>

#include <algorithm>
#include <set>

#include "der_scan.hpp"
#include "smimegw/trust/crl_cache.hpp"

namespace smimegw::trust {
namespace {

std::string normalise_serial(const std::vector<std::uint8_t>& s) {
  std::size_t i = 0;
  while (i + 1 < s.size() && s[i] == 0) ++i;
  return std::string(s.begin() + static_cast<std::ptrdiff_t>(i), s.end());
}

// CRL extensions we act on (RFC 5280 §5.2); any other critical one makes the CRL unusable.
const std::set<std::string>& handled_crl_extensions() {
  static const std::set<std::string> s = {
      "2.5.29.20",  // cRLNumber
      "2.5.29.35",  // authorityKeyIdentifier
      "2.5.29.28",  // issuingDistributionPoint (scope checked)
      "2.5.29.27",  // deltaCRLIndicator (recognised, then refused)
  };
  return s;
}

const std::set<std::string>& handled_entry_extensions() {
  static const std::set<std::string> s = {"2.5.29.21", "2.5.29.24"};  // reasonCode, invalidityDate
  return s;
}

// Botan refuses to convert times before 1970 (PKITS has them); those are "long ago".
std::chrono::system_clock::time_point to_time_point(const Botan::X509_Time& t) {
  try {
    return t.to_std_timepoint();
  } catch (const std::exception&) {
    return std::chrono::system_clock::time_point{} - std::chrono::hours(24 * 365 * 100);
  }
}

}  // namespace

IndexedCrl::IndexedCrl(Botan::X509_CRL crl, std::vector<std::uint8_t> der, std::string source)
    : crl_(std::move(crl)), der_(std::move(der)), source_(std::move(source)) {}

core::Result<std::shared_ptr<const IndexedCrl>> IndexedCrl::parse(std::span<const std::uint8_t> der,
                                                                  std::string source) {
  try {
    std::vector<std::uint8_t> bytes(der.begin(), der.end());
    Botan::X509_CRL crl(bytes);
    std::shared_ptr<IndexedCrl> out(
        new IndexedCrl(std::move(crl), std::move(bytes), std::move(source)));
    const auto& c = out->crl_;
    if (!c.this_update().time_is_set())
      return core::Error::make("malformed_crl", "CRL without thisUpdate");
    out->this_update_ = to_time_point(c.this_update());
    if (c.next_update().time_is_set()) out->next_update_ = to_time_point(c.next_update());

    for (const auto& [oid, value] : c.extensions().extensions_raw()) {
      const std::string o = oid.to_string();
      if (o == "2.5.29.27") out->delta_ = true;
      if (o == "2.5.29.28") out->scope_ = detail::parse_idp(value.first);
      if (value.second && !handled_crl_extensions().count(o)) out->unhandled_critical_ = true;
    }
    out->serials_.reserve(c.get_revoked().size());
    for (const auto& e : c.get_revoked()) {
      for (const auto& [oid, value] : e.extensions().extensions_raw())
        if (value.second && !handled_entry_extensions().count(oid.to_string()))
          out->unhandled_critical_ = true;
      if (e.reason_code() == Botan::REMOVE_FROM_CRL) continue;
      out->serials_.push_back(normalise_serial(e.serial_number()));
    }
    std::sort(out->serials_.begin(), out->serials_.end());
    out->serials_.erase(std::unique(out->serials_.begin(), out->serials_.end()),
                        out->serials_.end());
    return std::shared_ptr<const IndexedCrl>(std::move(out));
  } catch (const std::exception& e) {
    return core::Error::make("malformed_crl", std::string("CRL cannot be decoded: ") + e.what());
  }
}

bool IndexedCrl::is_listed(const std::vector<std::uint8_t>& serial) const {
  return std::binary_search(serials_.begin(), serials_.end(), normalise_serial(serial));
}

bool IndexedCrl::signature_valid_for(const Botan::X509_Certificate& issuer) const {
  const auto& spki = issuer.subject_public_key_bits();
  {
    std::lock_guard lock(sig_mutex_);
    if (auto it = sig_checked_.find(spki); it != sig_checked_.end()) return it->second;
  }
  bool ok = false;
  try {
    std::unique_ptr<Botan::Public_Key> key(issuer.subject_public_key());
    ok = key && crl_.check_signature(*key);
  } catch (const std::exception&) {
    ok = false;
  }
  std::lock_guard lock(sig_mutex_);
  sig_checked_[spki] = ok;
  return ok;
}

}  // namespace smimegw::trust
