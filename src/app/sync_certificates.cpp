// app: the user's certificates in the sync API (sync_services.hpp): the list (own GAL
// certificates and installed contact certificates), removal, and PKCS#12 import — uploaded, or
// from an attachment the user mailed to themselves — through directory::CertificateService
// (address match, trust without force, the PKCS#12 error codes), on the worker because the
// import validates (and may fetch CRLs).

#include "smimegw/core/address.hpp"
#include "smimegw/core/time_format.hpp"
#include "smimegw/mailbox/content.hpp"
#include "smimegw/mime/parser.hpp"
#include "smimegw/obs/log.hpp"
#include "sync_services.hpp"

namespace smimegw::app {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

std::string date_status(std::chrono::system_clock::time_point not_before,
                        std::chrono::system_clock::time_point not_after,
                        std::chrono::system_clock::time_point now) {
  if (now > not_after) return "expired";
  if (now < not_before) return "notYetValid";
  return "valid";
}

bool is_pkcs12(const mailbox::Attachment& a) {
  auto type = core::ascii_lower(a.content_type);
  auto name = core::ascii_lower(a.name);
  auto ends = [&name](const char* ext) { return name.ends_with(ext); };
  return type == "application/x-pkcs12" || type == "application/pkcs12" || ends(".p12") ||
         ends(".pfx");
}

/// The import's refusal for a user, who cannot force: without the CLI's "--force" hint, and an
/// untrusted certificate named as installSenderCertificate names it (untrustedCertificate).
core::Error without_force_hint(core::Error e) {
  auto hint = e.message.find("; --force");
  if (hint != std::string::npos) e.message.erase(hint);
  if (e.code == "untrusted") e.code = "untrusted_certificate";
  return e;
}

core::Error directory_unavailable() {
  return core::Error::transient("db_unavailable", "the certificate services are not available");
}

}  // namespace

json::object own_certificate_json(const directory::UserCertificate& c,
                                  std::chrono::system_clock::time_point now) {
  json::object o;
  o["id"] = c.thumbprint;
  o["kind"] = "own";
  o["thumbprint"] = c.thumbprint;
  o["usage"] = std::string(directory::to_string(c.usage));
  o["notBefore"] = core::iso8601_utc(c.not_before);
  o["notAfter"] = core::iso8601_utc(c.not_after);
  o["source"] = c.source;
  o["hasPrivateKey"] = c.has_private_key;
  o["enabled"] = c.enabled;
  o["status"] = c.enabled ? date_status(c.not_before, c.not_after, now) : "disabled";
  return o;
}

json::object contact_certificate_json(const directory::InstalledCertificate& c,
                                      std::chrono::system_clock::time_point now) {
  json::object o;
  o["id"] = c.thumbprint;
  o["kind"] = "contact";
  o["thumbprint"] = c.thumbprint;
  o["address"] = c.address;
  std::chrono::system_clock::time_point not_before{};
  std::string usage = "both";
  try {
    Botan::X509_Certificate cert(c.der);
    not_before = cert.not_before().to_std_timepoint();
    if (auto u = directory::derive_usage(cert)) usage = directory::to_string(*u);
  } catch (const std::exception&) {
    usage = "unknown";
  }
  o["usage"] = usage;
  o["notBefore"] = core::iso8601_utc(not_before);
  o["notAfter"] = core::iso8601_utc(c.not_after);
  o["source"] = c.source;
  o["hasPrivateKey"] = false;
  o["enabled"] = true;
  o["status"] = date_status(not_before, c.not_after, now);
  return o;
}

asio::awaitable<core::Result<directory::User>> SyncServices::me(std::string user) {
  auto u = co_await d_.users.find_by_address(user);
  if (!u) co_return u.error();
  if (!*u) co_return core::Error::make("not_found", "no such user");
  co_return std::move(**u);
}

asio::awaitable<core::Result<json::array>> SyncServices::certificates(std::string user) {
  auto u = co_await me(user);
  if (!u) co_return u.error();
  auto certs = co_await d_.certificates.user_certificates(u->id);
  if (!certs) co_return certs.error();
  auto contacts = co_await d_.certificates.list_installed(u->id);
  if (!contacts) co_return contacts.error();
  const auto now = d_.clock.now();
  json::array out;
  for (const auto& c : *certs) out.push_back(own_certificate_json(c, now));
  for (const auto& c : *contacts) out.push_back(contact_certificate_json(c, now));
  co_return out;
}

asio::awaitable<core::Status> SyncServices::remove_certificate(std::string user,
                                                               std::string thumbprint) {
  for (auto& c : thumbprint) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto u = co_await me(user);
  if (!u) co_return core::Error::make("not_found", "no such certificate");
  directory::AuditEntry audit{"sync:" + user, "user_certificate.remove", user, "{}"};
  auto st = co_await d_.certificates.remove_user_certificate(u->id, thumbprint, audit);
  if (!st && st.error().code == "not_found")  // not one of the user's own: a contact's?
    st = co_await d_.certificates.remove_installed(u->id, thumbprint);
  if (!st) co_return st.error();
  obs::log(*obs::logger("http"), spdlog::level::info, "sync_certificate_removed",
           {{"user", user}, {"thumbprint", thumbprint}});
  co_return core::Status{};
}

asio::awaitable<core::Result<json::array>> SyncServices::import_for(std::string user,
                                                                    std::string pfx,
                                                                    std::string password) {
  if (!d_.certificate_service) co_return directory_unavailable();
  auto* service = d_.certificate_service;
  std::vector<std::uint8_t> bytes(pfx.begin(), pfx.end());
  std::string actor = "sync:" + user;
  auto task = service->import_pkcs12(user, std::move(bytes), std::move(password), false, actor);
  auto imported = co_await on_worker(d_.worker, std::move(task));
  if (!imported) co_return without_force_hint(imported.error());
  auto all = co_await certificates(user);
  if (!all) co_return all.error();
  json::array out;
  for (auto& c : *all)
    for (const auto& i : *imported)
      if (c.as_object().at("thumbprint").as_string() == i.thumbprint &&
          c.as_object().at("kind").as_string() == "own")
        out.push_back(c);
  obs::log(*obs::logger("http"), spdlog::level::info, "sync_pkcs12_imported",
           {{"user", user}, {"count", std::to_string(imported->size())}});
  co_return out;
}

asio::awaitable<core::Result<json::array>> SyncServices::import_pkcs12(std::string user,
                                                                       std::string pfx,
                                                                       std::string password) {
  co_return co_await import_for(std::move(user), std::move(pfx), std::move(password));
}

asio::awaitable<core::Result<json::array>> SyncServices::install_attachment(
    std::string user, std::string id, std::string attachment_id, std::string password) {
  auto o = co_await open(user, id);
  if (!o) co_return o.error();
  auto msg = mime::parse(std::string_view(o->mime));
  if (!msg) co_return msg.error();
  auto a = mailbox::attachment_content(*msg, attachment_id);
  if (!a) co_return a.error();
  auto u = co_await me(user);
  if (!u) co_return u.error();
  auto from = mailbox::summarize(*msg).from;
  bool own = false;
  if (from) {
    own = core::ascii_lower(from->address) == u->address;
    for (const auto& p : u->proxy_addresses) own = own || core::ascii_lower(from->address) == p;
  }
  if (!own)
    co_return core::Error::make("not_own_message",
                                "install certificates only from a message you sent to yourself");
  if (!is_pkcs12(a->info))
    co_return core::Error::make("not_pkcs12",
                                "the attachment is not a PKCS#12 file (application/x-pkcs12, "
                                ".p12 or .pfx)");
  co_return co_await import_for(std::move(user), std::move(a->bytes), std::move(password));
}

}  // namespace smimegw::app
