// app: POST /me/messages/{id}/installSenderCertificate (sync_services.hpp). The message must be
// signed by its stored S/MIME status; the signer's certificate is read from the message as the
// owner sees it (sealed mail opened while S/MIME is on), validated for encryption to the signer's
// address with the certificates the message carried, and installed as a contact certificate
// (source sync). A certificate whose only fault is an unknown CA (untrusted_root,
// chain_incomplete) is installed with source user_trusted when the user says trust: true and
// sync.allow_user_trusted_certificates allows it; any other fault refuses it (invalid_certificate).
// A signer who is one of our users is not installed (the GAL always wins: conflict).
#include <botan/auto_rng.h>

#include <boost/json/parse.hpp>

#include "offload.hpp"
#include "smimegw/core/address.hpp"
#include "smimegw/obs/log.hpp"
#include "smimegw/smime/inspect.hpp"
#include "smimegw/trust/smime_rules.hpp"
#include "sync_services.hpp"

namespace smimegw::app {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

struct Signer {
  std::optional<Botan::X509_Certificate> certificate;
  std::vector<Botan::X509_Certificate> carried;
};

bool stored_signed(const std::string& smime_json) {
  boost::system::error_code ec;
  auto v = json::parse(smime_json, ec);
  if (ec || !v.is_object()) return false;
  auto it = v.as_object().find("signed");
  return it != v.as_object().end() && it->value().is_bool() && it->value().as_bool();
}

/// The first signer certificate of the outermost signature layer and what the message carried.
Signer read_signer(const std::string& mime) {
  Signer s;
  smime::InspectOptions opt;
  opt.check_from_address = false;
  opt.chain_check = [&s](const Botan::X509_Certificate& signer,
                         const std::vector<Botan::X509_Certificate>& carried) {
    if (!s.certificate) {
      s.certificate = signer;
      s.carried = carried;
    }
    return std::vector<core::Error>{};
  };
  Botan::AutoSeeded_RNG rng;
  auto report = smime::inspect(mime, opt, rng);
  if (report)
    for (const auto& layer : report->layers)
      for (const auto& signer : layer.signers)
        if (!s.certificate && signer.certificate) s.certificate = signer.certificate;
  return s;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string first_email(const Botan::X509_Certificate& cert) {
  auto emails = trust::certificate_emails(cert);
  return emails.empty() ? std::string() : core::ascii_lower(emails.front());
}

directory::InstalledCertificate stored_row(const std::vector<directory::InstalledCertificate>& list,
                                           const std::string& thumbprint,
                                           directory::InstalledCertificate fallback) {
  for (const auto& c : list)
    if (c.thumbprint == thumbprint) return c;
  return fallback;
}

bool unknown_ca_only(const std::vector<std::string>& codes) {
  for (const auto& c : codes)
    if (c != "untrusted_root" && c != "chain_incomplete") return false;
  return !codes.empty();
}

}  // namespace

asio::awaitable<core::Result<json::object>> SyncServices::install_sender(std::string user,
                                                                         std::string id,
                                                                         bool trust) {
  auto o = co_await open(user, id);
  if (!o) co_return o.error();
  if (!stored_signed(o->row.smime_json))
    co_return core::Error::make("not_signed", "the message is not signed");
  if (o->row.sealed) {
    auto p = co_await user_policy(user);
    if (!p) co_return p.error();
    if (!p->smime_enabled())
      co_return core::Error::make("smime_disabled",
                                  "S/MIME is turned off in your settings; enable it to open the "
                                  "signed message");
  }
  if (!d_.validator) co_return core::Error::transient("db_unavailable", "no trust service");
  auto mime = o->mime;
  auto read = [mime]() { return read_signer(mime); };
  auto signer = co_await run_on(d_.worker, std::move(read));
  if (!signer->certificate)
    co_return core::Error::make("not_signed", "the signer's certificate is not in the message");
  const auto& cert = *signer->certificate;
  auto der = cert.BER_encode();
  auto thumb = directory::thumbprint_of(der);
  std::string address = first_email(cert);
  if (address.empty())
    co_return core::Error::make("invalid_certificate",
                                "certificate " + thumb + " carries no e-mail address");
  auto gal = co_await d_.users.find_by_address(address);
  if (!gal) co_return gal.error();
  if (*gal)
    co_return core::Error::make("conflict", address +
                                                " is a user of this organisation; their "
                                                "certificate comes from the directory");
  trust::ValidationRequest req{
      cert, signer->carried, d_.clock.now(), trust::Operation::encrypt_to, address,
      {},   d_.revocation};
  auto* validator = d_.validator;
  auto check = [validator, req]() { return validator->validate(req).error_codes(); };
  auto codes = co_await run_on(d_.worker, std::move(check));
  std::string source = "sync";
  if (!codes->empty()) {
    if (!unknown_ca_only(*codes))
      co_return core::Error::make("invalid_certificate", "certificate " + thumb + " of " + address +
                                                             " cannot be used: " + join(*codes));
    if (!trust)
      co_return core::Error::make("untrusted_certificate",
                                  "certificate " + thumb + " of " + address +
                                      " is issued by an unknown CA (" + join(*codes) +
                                      "); send trust: true to trust it yourself");
    if (!d_.allow_user_trusted)
      co_return core::Error::make("user_trust_not_allowed",
                                  "the administrator does not allow trusting certificates of "
                                  "unknown CAs (sync.allow_user_trusted_certificates)");
    source = "user_trusted";
  }
  auto u = co_await me(user);
  if (!u) co_return u.error();
  directory::InstalledCertificate c;
  c.owner_user_id = u->id;
  c.address = address;
  c.der = der;
  c.thumbprint = thumb;
  c.not_after = cert.not_after().to_std_timepoint();
  c.source = source;
  auto added = co_await d_.certificates.add_installed(c);
  if (!added) co_return added.error();
  directory::AuditEntry audit{"sync:" + user, "installed_certificate.add", user,
                              "{\"thumbprint\":\"" + thumb + "\",\"source\":\"" + source + "\"}"};
  auto logged = co_await d_.certificates.append_audit(std::move(audit));
  if (!logged) co_return logged.error();
  obs::log(*obs::logger("http"), spdlog::level::info, "sync_sender_certificate_installed",
           {{"user", user}, {"thumbprint", thumb}, {"source", source}});
  if (!*added) {  // installed before (e.g. harvested): show the stored row
    auto list = co_await d_.certificates.list_installed(u->id);
    if (!list) co_return list.error();
    c = stored_row(*list, thumb, std::move(c));
  }
  auto out = contact_certificate_json(c, d_.clock.now());
  out["alreadyInstalled"] = !*added;
  co_return out;
}

}  // namespace smimegw::app
