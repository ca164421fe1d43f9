// app: rendering an smime::Report as the `verify --json` document (issue 3) and as text.
#include <boost/json.hpp>
#include <sstream>

#include "smime_cli.hpp"
#include "smimegw/trust/cert_io.hpp"
#include "trust_cli.hpp"

namespace smimegw::app {
namespace {

namespace json = boost::json;

json::array errors_json(const std::vector<core::Error>& errors) {
  json::array a;
  for (const auto& e : errors) a.push_back(json::object{{"code", e.code}, {"message", e.message}});
  return a;
}

const trust::ValidationResult* trust_of(const smime::SignerReport& s, const TrustResults* t) {
  if (!t || !s.certificate) return nullptr;
  auto it = t->find(trust::sha256_hex(*s.certificate));
  return it == t->end() ? nullptr : &it->second;
}

json::object signer_json(const smime::SignerReport& s, const TrustResults* t) {
  json::array addrs;
  for (const auto& a : s.addresses) addrs.push_back(json::value(a));
  json::object o{
      {"address", s.addresses.empty() ? "" : s.addresses.front()},
      {"addresses", addrs},
      {"subject", s.subject},
      {"issuer", s.issuer},
      {"serial", s.serial},
      {"digestAlgorithm", s.digest_algorithm},
      {"signatureAlgorithm", s.signature_algorithm},
      {"signingTime", s.signing_time.empty() ? json::value(nullptr) : json::value(s.signing_time)},
      {"status", s.status},
      {"errors", errors_json(s.errors)}};
  if (const auto* r = trust_of(s, t)) o["trust"] = trust_result_json(*r);
  return o;
}

}  // namespace

std::string report_json(const smime::Report& r, const TrustResults* t) {
  json::array signers, layers;
  for (const auto& l : r.layers) {
    json::array ls;
    for (const auto& s : l.signers) {
      ls.push_back(signer_json(s, t));
      signers.push_back(signer_json(s, t));
    }
    json::object lo{{"kind", std::string(smime::to_string(l.kind))},
                    {"status", l.status},
                    {"signers", ls},
                    {"errors", errors_json(l.errors)}};
    if (!l.smime_type.empty()) lo["smimeType"] = l.smime_type;
    if (!l.micalg.empty()) lo["micalg"] = l.micalg;
    if (!l.cipher.empty()) lo["cipher"] = l.cipher;
    if (!l.recipient_kind.empty()) lo["recipientKind"] = l.recipient_kind;
    layers.push_back(lo);
  }
  json::object doc{
      {"signed", r.is_signed()},
      {"encrypted", r.is_encrypted()},
      {"signatureStatus", r.signature_status()},
      {"error", r.first_error().empty() ? json::value(nullptr) : json::value(r.first_error())},
      {"signers", signers},
      {"layers", layers},
      {"warnings", errors_json(r.warnings)}};
  return json::serialize(doc) + "\n";
}

std::string report_text(const smime::Report& r, const TrustResults* t) {
  std::ostringstream out;
  std::size_t n = 0;
  for (const auto& l : r.layers) {
    out << "layer " << ++n << ": " << smime::to_string(l.kind) << " " << l.status;
    if (!l.cipher.empty()) out << " (" << l.cipher << ")";
    out << "\n";
    for (const auto& e : l.errors) out << "  error " << e.code << ": " << e.message << "\n";
    for (const auto& s : l.signers) {
      out << "  signer " << (s.addresses.empty() ? "-" : s.addresses.front()) << " [" << s.subject
          << "] " << s.digest_algorithm << "/" << s.signature_algorithm << " " << s.status << "\n";
      for (const auto& e : s.errors) out << "    error " << e.code << ": " << e.message << "\n";
      if (const auto* tr = trust_of(s, t)) {
        for (const auto& c : tr->chain) out << "    chain " << c << "\n";
        for (const auto& v : tr->revocation_sources) out << "    revocation " << v << "\n";
        for (const auto& w : tr->warnings)
          out << "    warning " << w.code << ": " << w.message << "\n";
      }
    }
  }
  for (const auto& w : r.warnings) out << "warning " << w.code << ": " << w.message << "\n";
  out << "signature: " << r.signature_status() << "\n";
  return out.str();
}

}  // namespace smimegw::app
