// transport: the issuers a signature carries (signing_chain.hpp).
#include "smimegw/transport/signing_chain.hpp"

#include <botan/pk_keys.h>
#include <botan/x509_dn.h>

namespace smimegw::transport {

namespace {

constexpr std::size_t kMaxChain = 8;

bool issued(const Botan::X509_Certificate& child, const Botan::X509_Certificate& issuer) {
  if (!(child.issuer_dn() == issuer.subject_dn())) return false;
  const auto& aki = child.authority_key_id();
  const auto& ski = issuer.subject_key_id();
  if (!aki.empty() && !ski.empty() && aki != ski) return false;
  try {
    auto key = issuer.load_subject_public_key();
    return child.check_signature(*key);
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

std::vector<Botan::X509_Certificate> issuers_from(
    const Botan::X509_Certificate& leaf, const std::vector<Botan::X509_Certificate>& pool) {
  std::vector<Botan::X509_Certificate> out;
  const Botan::X509_Certificate* current = &leaf;
  while (!current->is_self_signed() && out.size() < kMaxChain) {
    const Botan::X509_Certificate* next = nullptr;
    for (const auto& c : pool)
      if (c != *current && issued(*current, c)) {
        next = &c;
        break;
      }
    if (!next) break;
    out.push_back(*next);
    current = next;
  }
  return out;
}

std::vector<Botan::X509_Certificate> carried_chain(std::vector<Botan::X509_Certificate> issuers,
                                                   std::string_view include_chain) {
  if (include_chain == "none") return {};
  if (include_chain == "withRoot") return issuers;
  std::vector<Botan::X509_Certificate> out;
  for (auto& c : issuers)
    if (!c.is_self_signed()) out.push_back(std::move(c));
  return out;
}

}  // namespace smimegw::transport
