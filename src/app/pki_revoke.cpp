// app/pki: revocations and CRL publishing of the test PKI (pki.hpp).
//
// The `revoked` file holds one line per revocation ("<SERIAL> <unix time> <reason>"). A CRL is
// made by Botan's X509_CA (AKI + CRL number): the CA's previous CRL (root.crl/intermediate.crl) is
// extended with the revocations it does not list yet, so the CRL number grows by one per `pki
// crl`. Botan dates each new entry with the time the CRL is made (CRL_Entry takes no date).
#include <botan/auto_rng.h>
#include <botan/pkix_types.h>
#include <botan/x509_ca.h>
#include <botan/x509_crl.h>

#include <fstream>
#include <set>
#include <sstream>

#include "pki.hpp"

namespace smimegw::app::pki {

namespace fs = std::filesystem;
using core::Error;

namespace {

struct Revocation {
  std::string serial;
  long long when = 0;
  std::string reason;
};

std::vector<Revocation> read_revocations(const fs::path& p) {
  std::vector<Revocation> out;
  std::ifstream in(p);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    Revocation r;
    if (ls >> r.serial >> r.when >> r.reason) out.push_back(r);
  }
  return out;
}

const std::vector<std::pair<std::string, Botan::CRL_Code>>& reasons() {
  static const std::vector<std::pair<std::string, Botan::CRL_Code>> table = {
      {"unspecified", Botan::UNSPECIFIED},
      {"keyCompromise", Botan::KEY_COMPROMISE},
      {"cACompromise", Botan::CA_COMPROMISE},
      {"affiliationChanged", Botan::AFFILIATION_CHANGED},
      {"superseded", Botan::SUPERSEDED},
      {"cessationOfOperation", Botan::CESSATION_OF_OPERATION},
      {"certificateHold", Botan::CERTIFICATE_HOLD},
  };
  return table;
}

}  // namespace

const Authority* Directory::issuer_of(const Botan::X509_Certificate& cert) const {
  for (const Authority* a : {intermediate(), &root_}) {
    if (!a || !(cert.issuer_dn() == a->certificate.subject_dn())) continue;
    try {
      std::unique_ptr<Botan::Public_Key> pub(a->certificate.subject_public_key());
      if (cert.check_signature(*pub)) return a;
    } catch (const std::exception&) {
    }
  }
  return nullptr;
}

core::Result<std::string> Directory::revoke(const std::string& serial_text,
                                            const std::string& reason) {
  auto serial = normalize_serial(serial_text);
  if (!serial) return serial.error();
  auto path = dir_ / "issued" / (*serial + ".pem");
  std::error_code ec;
  if (!fs::exists(path, ec))
    return Error::make("pki_state", "serial " + *serial + " was not issued by " + dir_.string());
  try {
    return revoke(Botan::X509_Certificate(path.string()), reason);
  } catch (const std::exception& e) {
    return Error::make("pki_state", path.string() + ": " + e.what());
  }
}

core::Result<std::string> Directory::revoke(const Botan::X509_Certificate& cert,
                                            const std::string& reason) {
  bool known = false;
  for (const auto& [name, code] : reasons()) known = known || name == reason;
  if (!known) {
    std::string names;
    for (const auto& r : reasons()) names += (names.empty() ? "" : ", ") + r.first;
    return Error::make("pki_usage", "unknown reason \"" + reason + "\" (one of " + names + ")");
  }
  if (cert.is_self_signed())
    return Error::make("pki_usage", "the root cannot be revoked (it is self-signed)");
  if (!issuer_of(cert))
    return Error::make("pki_state", "the certificate was not issued by a CA of " + dir_.string());
  auto serial = serial_hex(cert.serial_number());
  for (const auto& r : read_revocations(dir_ / "revoked"))
    if (r.serial == serial)
      return Error::make("pki_state", "serial " + serial + " is already revoked");
  auto now = std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  auto text = read_text(dir_ / "revoked");
  std::string all = text ? *text : "";
  all += serial + " " + std::to_string(now) + " " + reason + "\n";
  if (auto w = write_file(dir_ / "revoked", all); !w) return w.error();
  return serial;
}

core::Result<std::vector<std::uint8_t>> Directory::crl(
    const Authority* ca, int next_update_days,
    std::optional<std::chrono::system_clock::time_point> this_update) {
  if (!ca) ca = &issuing();
  if (next_update_days < 0 || next_update_days > 36500)
    return Error::make("pki_usage", "--next-update-days must be between 0 and 36500");
  auto last_path = dir_ / (ca->role + ".crl");
  try {
    Botan::AutoSeeded_RNG rng;
    Botan::X509_CA x509_ca(ca->certificate, *ca->key, signature_hash(*ca->key), rng);
    auto now = this_update.value_or(std::chrono::system_clock::now());
    std::chrono::seconds next = std::chrono::hours(24) * next_update_days;
    std::error_code ec;
    Botan::X509_CRL last = fs::exists(last_path, ec) ? Botan::X509_CRL(last_path.string())
                                                     : x509_ca.new_crl(rng, now, next);
    std::set<std::string> listed;
    for (const auto& e : last.get_revoked()) listed.insert(serial_hex(e.serial_number()));
    std::vector<Botan::CRL_Entry> add;
    for (const auto& r : read_revocations(dir_ / "revoked")) {
      if (listed.count(r.serial)) continue;
      Botan::X509_Certificate cert((dir_ / "issued" / (r.serial + ".pem")).string());
      if (issuer_of(cert) != ca) continue;
      Botan::CRL_Code code = Botan::UNSPECIFIED;
      for (const auto& [name, c] : reasons())
        if (name == r.reason) code = c;
      add.emplace_back(cert, code);
    }
    auto crl = x509_ca.update_crl(last, add, rng, now, next);
    auto der = crl.BER_encode();
    if (auto w = write_file(last_path, std::string(der.begin(), der.end())); !w) return w.error();
    return der;
  } catch (const std::exception& e) {
    return Error::make("pki_crypto", "cannot make the CRL of the " + ca->role + ": " + e.what());
  }
}

}  // namespace smimegw::app::pki
