// app: `smimegw pkcs12 show --in F.p12 --password-file P [--json]` — what a PKCS#12 file holds:
// entries (key type and size, certificate subject/issuer/serial, friendly name, localKeyId) and
// extra certificates. Never prints key material.
// Exit codes: 0 shown; 1 the file cannot be opened as PKCS#12 (wrong_password, mac_mismatch,
// unsupported_algorithm, malformed, limit_exceeded: the code is printed); 2 usage or unreadable
// file.
#include <botan/hex.h>
#include <botan/pkix_types.h>

#include <boost/json.hpp>
#include <iostream>

#include "args.hpp"
#include "commands.hpp"
#include "smime_cli.hpp"

namespace smimegw::app {
namespace {

namespace json = boost::json;

json::object cert_json(const std::optional<Botan::X509_Certificate>& c,
                       const std::vector<std::uint8_t>& der) {
  if (!c) return json::object{{"parsed", false}, {"derBytes", der.size()}};
  json::array emails;
  for (const auto& e : c->subject_info("RFC822")) emails.push_back(json::value(e));
  return json::object{{"parsed", true},
                      {"subject", c->subject_dn().to_string()},
                      {"issuer", c->issuer_dn().to_string()},
                      {"serial", Botan::hex_encode(c->serial_number())},
                      {"notAfter", c->not_after().readable_string()},
                      {"emails", emails}};
}

std::string key_type(const Botan::Private_Key& k) {
  return k.algo_name() + "-" + std::to_string(k.key_length());
}

}  // namespace

int cmd_pkcs12(int argc, char** argv) {
  const std::string sub = argc > 1 ? argv[1] : "";
  if (sub != "show") {
    report("pkcs12: " +
           (sub.empty() ? std::string("missing subcommand (show)") : "unknown subcommand " + sub));
    return 2;
  }
  std::string err;
  auto a = parse_args(
      argc, argv, 2,
      {{"in", 0, true, false}, {"password-file", 0, true, false}, {"json", 0, false, false}}, err);
  if (!a || !a->positional.empty() || !a->has("in") || !a->has("password-file")) {
    report("pkcs12 show: " +
           (!a ? err : std::string("usage: --in F.p12 --password-file P [--json]")));
    return 2;
  }
  auto data = read_whole(a->get("in"), err);
  auto password = data ? read_password_file(a->get("password-file"), err) : std::nullopt;
  if (!data || !password) {
    report("pkcs12 show: " + err);
    return 2;
  }
  auto p12 = cms::parse_pkcs12({reinterpret_cast<const std::uint8_t*>(data->data()), data->size()},
                               *password);
  if (!p12) {
    report("pkcs12 show: " + p12.error().code + ": " + p12.error().message);
    return 1;
  }
  json::array entries, extras, notes;
  for (const auto& e : p12->entries)
    entries.push_back(json::object{
        {"friendlyName", e.friendly_name},
        {"localKeyId", Botan::hex_encode(e.local_key_id)},
        {"keyType", key_type(*e.private_key)},
        {"certificate", e.certificate_der.empty()
                            ? json::value(nullptr)
                            : json::value(cert_json(e.certificate, e.certificate_der))}});
  for (const auto& c : p12->extra_certificates)
    extras.push_back(json::object{{"friendlyName", c.friendly_name},
                                  {"localKeyId", Botan::hex_encode(c.local_key_id)},
                                  {"certificate", cert_json(c.certificate, c.der)}});
  for (const auto& n : p12->notes) notes.push_back(json::value(n));
  if (a->has("json")) {
    std::cout << json::serialize(json::object{{"macVerified", p12->mac_verified},
                                              {"macAlgorithm", p12->mac_algorithm},
                                              {"entries", entries},
                                              {"certificates", extras},
                                              {"notes", notes}})
              << "\n";
    return 0;
  }
  std::cout << "MAC: " << (p12->mac_verified ? "verified " + p12->mac_algorithm : "none") << "\n";
  std::size_t n = 0;
  for (const auto& e : p12->entries) {
    std::cout << "entry " << ++n << ": key " << key_type(*e.private_key) << ", friendlyName \""
              << e.friendly_name << "\", localKeyId " << Botan::hex_encode(e.local_key_id) << "\n";
    if (e.certificate)
      std::cout << "  certificate: " << e.certificate->subject_dn().to_string()
                << "\n  issuer: " << e.certificate->issuer_dn().to_string()
                << "\n  serial: " << Botan::hex_encode(e.certificate->serial_number()) << "\n";
    else if (!e.certificate_der.empty())
      std::cout << "  certificate: (" << e.certificate_der.size() << " bytes, not parsed)\n";
  }
  for (const auto& c : p12->extra_certificates)
    std::cout << "certificate: "
              << (c.certificate ? c.certificate->subject_dn().to_string() : "(not parsed)")
              << (c.friendly_name.empty() ? "" : " friendlyName \"" + c.friendly_name + "\"")
              << "\n";
  for (const auto& note : p12->notes) std::cout << "note: " << note << "\n";
  return 0;
}

}  // namespace smimegw::app
