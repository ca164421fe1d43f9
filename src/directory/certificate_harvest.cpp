// directory: harvesting certificates from validated inbound signatures into the receiving user's
// installed certificates (certificate_service.hpp, "Harvest").
#include "smimegw/cms/loaded_certificate.hpp"
#include "smimegw/core/address.hpp"
#include "smimegw/directory/certificate_service.hpp"
#include "smimegw/trust/smime_rules.hpp"

namespace smimegw::directory {

namespace asio = boost::asio;

namespace {

std::string key_of(const std::string& address) {
  auto a = core::Address::parse(address);
  return a ? a->key() : std::string();
}

struct Parsed {
  std::vector<std::string> addresses;  ///< lower-case, parseable ones only
  std::chrono::system_clock::time_point not_after;
};

core::Result<Parsed> parse(const std::vector<std::uint8_t>& der) {
  try {
    const Botan::X509_Certificate cert = cms::decoded_certificate(der);  // no-expiry ones too
    Parsed p;
    for (const auto& e : trust::certificate_emails(cert))
      if (auto k = key_of(e); !k.empty()) p.addresses.push_back(k);
    p.not_after = cert.not_after().to_std_timepoint();
    return p;
  } catch (const std::exception&) {
    return core::Error::make("malformed_certificate", "the certificate does not parse");
  }
}

std::string choose(const Parsed& p, const std::string& contact) {
  auto wanted = key_of(contact);
  for (const auto& a : p.addresses)
    if (a == wanted) return a;
  return p.addresses.front();
}

}  // namespace

asio::awaitable<core::Result<HarvestOutcome>> CertificateService::harvest(
    std::string owner_address, std::vector<std::uint8_t> der, std::string contact_address) {
  if (!options_.harvest) co_return HarvestOutcome::disabled;
  auto owner = co_await users_.find_by_address(owner_address);
  if (!owner) co_return owner.error();
  if (!*owner) co_return core::Error::make("not_found", "no user with address " + owner_address);
  auto parsed = parse(der);
  if (!parsed) co_return parsed.error();
  if (parsed->addresses.empty()) co_return HarvestOutcome::no_address;

  // Never shadow the GAL: a certificate naming one of our users is not harvested.
  bool gal = false;
  std::optional<core::Error> failure;
  for (std::size_t i = 0; i < parsed->addresses.size() && !gal && !failure; ++i) {
    auto u = co_await users_.find_by_address(parsed->addresses[i]);
    if (u)
      gal = u->has_value();
    else
      failure = u.error();
  }
  if (failure) co_return *failure;
  if (gal) co_return HarvestOutcome::gal_user;

  InstalledCertificate c;
  c.owner_user_id = (*owner)->id;
  c.address = choose(*parsed, contact_address);
  c.thumbprint = thumbprint_of(der);
  c.der = std::move(der);
  c.not_after = parsed->not_after;
  c.source = "harvested";
  auto added = co_await certs_.add_installed(std::move(c));
  if (!added) co_return added.error();
  if (*added) co_return HarvestOutcome::added;
  co_return HarvestOutcome::already_installed;
}

}  // namespace smimegw::directory
