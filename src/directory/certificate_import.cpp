// directory: PKCS#12 import for a user (certificate_service.hpp, "Import").
#include <botan/auto_rng.h>
#include <botan/pkcs8.h>

#include <algorithm>
#include <optional>

#include "json_text.hpp"
#include "smimegw/cms/pkcs12.hpp"
#include "smimegw/directory/certificate_service.hpp"
#include "smimegw/trust/smime_rules.hpp"

namespace smimegw::directory {

namespace asio = boost::asio;

namespace {

struct Prepared {
  NewUserCertificate row;
  ImportedCertificate info;
};

std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::vector<trust::Operation> operations(CertUsage u) {
  if (u == CertUsage::sign) return {trust::Operation::sign_with};
  if (u == CertUsage::encrypt) return {trust::Operation::encrypt_to};
  return {trust::Operation::sign_with, trust::Operation::encrypt_to};
}

struct Context {
  const User& user;
  trust::Validator& validator;
  const KeyVault& vault;
  std::chrono::system_clock::time_point now;
  trust::RevocationMode revocation;
  bool force;
  std::vector<Botan::X509_Certificate> extra;
  Botan::RandomNumberGenerator& rng;
};

std::vector<std::string> validation_codes(Context& ctx, const Botan::X509_Certificate& cert,
                                          CertUsage usage) {
  std::vector<std::string> codes;
  for (auto op : operations(usage)) {
    trust::ValidationRequest req{
        cert, ctx.extra, ctx.now, op, ctx.user.address, ctx.user.proxy_addresses, ctx.revocation};
    for (const auto& c : ctx.validator.validate(req).error_codes())
      if (std::find(codes.begin(), codes.end(), c) == codes.end()) codes.push_back(c);
  }
  return codes;
}

// Both public keys re-encoded by Botan, so encoding choices of the file's writer don't matter.
bool key_matches(const Botan::Private_Key& key, const Botan::X509_Certificate& cert) {
  try {
    return cert.load_subject_public_key()->public_key_bits() == key.public_key_bits();
  } catch (const std::exception&) {
    return false;
  }
}

core::Result<Prepared> prepare_entry(Context& ctx, cms::Pkcs12Entry& e) {
  if (!e.certificate)
    return core::Error::make("malformed_certificate",
                             "a private key in the file has no certificate that can be read");
  const auto& cert = *e.certificate;
  auto thumb = thumbprint_of(e.certificate_der);

  std::vector<std::string> addresses{ctx.user.address};
  addresses.insert(addresses.end(), ctx.user.proxy_addresses.begin(),
                   ctx.user.proxy_addresses.end());
  auto emails = trust::certificate_emails(cert);
  bool match = false;
  for (const auto& m : emails)
    for (const auto& a : addresses) match = match || trust::same_address(m, a);
  if (!match)
    return core::Error::make(
        "address_mismatch", "certificate " + thumb + " is issued to " +
                                (emails.empty() ? std::string("no e-mail address") : join(emails)) +
                                ", which is not an address of " + ctx.user.address + " (" +
                                join(addresses) + ")");

  auto usage = derive_usage(cert);
  if (!usage)
    return core::Error::make(
        "no_smime_usage",
        "certificate " + thumb + " allows neither signing nor encryption (keyUsage)");
  if (!key_matches(*e.private_key, cert))
    return core::Error::make("key_mismatch",
                             "the private key in the file does not belong to certificate " + thumb);

  auto codes = validation_codes(ctx, cert, *usage);
  if (!codes.empty() && !ctx.force)
    return core::Error::make("untrusted", "certificate " + thumb + " fails validation (" +
                                              to_string(*usage) + "): " + join(codes) +
                                              "; --force imports it anyway (recorded)");

  Prepared p;
  p.row.user_id = ctx.user.id;
  p.row.der = e.certificate_der;
  p.row.thumbprint = thumb;
  p.row.usage = *usage;
  p.row.not_before = cert.not_before().to_std_timepoint();
  p.row.not_after = cert.not_after().to_std_timepoint();
  p.row.source = "pkcs12";
  p.row.forced = !codes.empty();
  auto pkcs8 = Botan::PKCS8::BER_encode(*e.private_key);
  p.row.key = ctx.vault.wrap(pkcs8, thumb, ctx.rng);
  p.info = {0, thumb, *usage, p.row.forced, codes};
  return p;
}

core::Result<std::vector<Prepared>> prepare_all(Context& ctx, cms::Pkcs12Contents& p12) {
  if (p12.entries.empty())
    return core::Error::make("no_keys",
                             "the PKCS#12 file holds no private key with its certificate");
  for (const auto& x : p12.extra_certificates)
    if (x.certificate) ctx.extra.push_back(*x.certificate);
  std::vector<Prepared> out;
  for (auto& e : p12.entries) {
    auto p = prepare_entry(ctx, e);
    if (!p) return p.error();
    out.push_back(std::move(*p));
  }
  return out;
}

std::string audit_detail(const Prepared& p) {
  return "{\"thumbprint\":" + json::quote(p.info.thumbprint) +
         ",\"usage\":" + json::quote(to_string(p.info.usage)) +
         ",\"source\":\"pkcs12\",\"forced\":" + (p.info.forced ? "true" : "false") +
         ",\"codes\":" + json::array(p.info.codes) + "}";
}

/// The first of `stored` that is not `mine`, if any.
std::optional<std::string> foreign_kek(const std::vector<std::string>& stored,
                                       const std::string& mine) {
  for (const auto& id : stored)
    if (id != mine) return id;
  return std::nullopt;
}

}  // namespace

asio::awaitable<core::Result<std::vector<ImportedCertificate>>> CertificateService::import_pkcs12(
    std::string address, std::vector<std::uint8_t> pfx, std::string password, bool force,
    std::string actor) {
  if (!vault_)
    co_return core::Error::make("kek_missing",
                                "no key vault is loaded (keys.kek_file); cannot store keys");
  // After `keys rotate` the stored keys are under the new KEK while this process still holds the
  // old one: a key wrapped now would be the only one under the old KEK, and the next start would
  // refuse the database. Refused until the restart (temporary: the same import works then).
  auto stored = co_await certs_.kek_ids();
  if (!stored) co_return stored.error();
  if (auto other = foreign_kek(*stored, vault_->kek_id()))
    co_return core::Error::transient(
        "kek_mismatch", "stored private keys are wrapped under KEK " + *other +
                            ", this process holds KEK " + vault_->kek_id() +
                            ": restart the gateway after keys rotate, then import again");
  auto user = co_await users_.find_by_address(address);
  if (!user) co_return user.error();
  if (!*user) co_return core::Error::make("not_found", "no user with address " + address);
  auto p12 = cms::parse_pkcs12(pfx, password);
  if (!p12) co_return p12.error();

  Botan::AutoSeeded_RNG rng;
  Context ctx{**user, validator_, *vault_, clock_.now(), options_.revocation, force, {}, rng};
  auto prepared = prepare_all(ctx, *p12);
  if (!prepared) co_return prepared.error();

  std::vector<NewUserCertificate> rows;
  std::vector<AuditEntry> audit;
  for (const auto& p : *prepared) {
    rows.push_back(p.row);
    audit.push_back({actor,
                     p.info.forced ? "user_certificate.import_forced" : "user_certificate.import",
                     (*user)->address, audit_detail(p)});
  }
  auto ids = co_await certs_.add_user_certificates(std::move(rows), std::move(audit));
  if (!ids) co_return ids.error();
  std::vector<ImportedCertificate> out;
  for (std::size_t i = 0; i < prepared->size(); ++i) {
    out.push_back((*prepared)[i].info);
    out.back().id = (*ids)[i];
  }
  co_return out;
}

}  // namespace smimegw::directory
