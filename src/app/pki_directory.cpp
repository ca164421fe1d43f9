// app/pki: the state directory of the test PKI: init, open, serials, issue (pki.hpp).
#include <botan/auto_rng.h>
#include <botan/data_src.h>
#include <botan/hex.h>
#include <botan/pkcs8.h>

#include "pki.hpp"

namespace smimegw::app::pki {

namespace fs = std::filesystem;
using core::Error;

namespace {

constexpr const char* kOrganization = "smimegw test PKI";

core::Result<Authority> load_authority(const fs::path& dir, const std::string& role) {
  auto cert_path = dir / (role + ".pem");
  auto key_path = dir / (role + ".key.pem");
  auto key_text = read_text(key_path);
  if (!key_text) return Error::make("pki_state", key_text.error().message);
  try {
    Botan::X509_Certificate cert(cert_path.string());
    Botan::DataSource_Memory src(*key_text);
    auto key = Botan::PKCS8::load_key(src);
    return Authority{role, std::move(cert), std::move(key)};
  } catch (const std::exception& e) {
    return Error::make("pki_state",
                       "cannot load " + role + " of " + dir.string() + ": " + e.what());
  }
}

std::pair<std::chrono::system_clock::time_point, std::chrono::system_clock::time_point> window(
    const Validity& v) {
  using namespace std::chrono;
  auto nb = v.not_before.value_or(time_point_cast<seconds>(system_clock::now()) - hours(1));
  return {nb, nb + hours(24) * v.days};
}

core::Status save(const fs::path& cert_path, const fs::path& key_path,
                  const Botan::X509_Certificate& cert, const Botan::Private_Key& key) {
  if (auto s = write_file(key_path, Botan::PKCS8::PEM_encode(key), true); !s) return s;
  return write_file(cert_path, cert.PEM_encode());
}

}  // namespace

core::Result<Directory> Directory::init(const fs::path& dir, const InitOptions& opts) {
  std::error_code ec;
  if (fs::exists(dir / "root.pem", ec))
    return Error::make("pki_state", dir.string() + " is already initialised (root.pem exists)");
  fs::create_directories(dir / "issued", ec);
  if (ec) return Error::make("pki_io", dir.string() + ": " + ec.message());

  // A random 63-bit start keeps serials of different test PKIs apart.
  Botan::AutoSeeded_RNG rng;
  auto start = rng.random_vec(8);
  start[0] = static_cast<std::uint8_t>((start[0] & 0x3F) | 0x10);
  if (auto s = write_file(dir / "serial", serial_hex({start.begin(), start.end()}) + "\n"); !s)
    return s.error();
  if (auto s = write_file(dir / "revoked", ""); !s) return s.error();

  Directory d(dir, Authority{"root", {}, generate_key(opts.key)}, std::nullopt);
  auto [nb, na] = window(opts.validity);
  auto serial = d.next_serial();
  if (!serial) return serial.error();
  CertSpec root{.common_name = opts.name,
                .organization = kOrganization,
                .ca = true,
                .usage = Botan::Key_Constraints(Botan::KEY_CERT_SIGN | Botan::CRL_SIGN),
                .not_before = nb,
                .not_after = na,
                .serial_hex = *serial};
  auto rc = make_certificate(root, *d.root_.key, nullptr);
  if (!rc) return rc.error();
  d.root_.certificate = *rc;
  if (auto s = save(dir / "root.pem", dir / "root.key.pem", *rc, *d.root_.key); !s)
    return s.error();
  if (auto s = write_file(dir / "issued" / (*serial + ".pem"), rc->PEM_encode()); !s)
    return s.error();

  if (opts.intermediate) {
    auto key = generate_key(opts.key);
    auto iserial = d.next_serial();
    if (!iserial) return iserial.error();
    CertSpec inter{.common_name = opts.name + " Intermediate",
                   .organization = kOrganization,
                   .ca = true,
                   .path_len = 0,
                   .usage = Botan::Key_Constraints(Botan::KEY_CERT_SIGN | Botan::CRL_SIGN),
                   .not_before = nb,
                   .not_after = na,
                   .serial_hex = *iserial};
    if (!opts.crl_url.empty()) inter.crl_urls.push_back(opts.crl_url);
    inter.aia_ca_issuers = opts.aia_url;
    auto ic = make_certificate(inter, *key, &d.root_);
    if (!ic) return ic.error();
    if (auto s = save(dir / "intermediate.pem", dir / "intermediate.key.pem", *ic, *key); !s)
      return s.error();
    if (auto s = write_file(dir / "issued" / (*iserial + ".pem"), ic->PEM_encode()); !s)
      return s.error();
    d.intermediate_ = Authority{"intermediate", *ic, std::move(key)};
  }
  return d;
}

core::Result<Directory> Directory::open(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir / "root.pem", ec))
    return Error::make("pki_state",
                       dir.string() + " is not a test PKI directory (no root.pem; run pki init)");
  auto root = load_authority(dir, "root");
  if (!root) return root.error();
  std::optional<Authority> inter;
  if (fs::exists(dir / "intermediate.pem", ec)) {
    auto i = load_authority(dir, "intermediate");
    if (!i) return i.error();
    inter = std::move(*i);
  }
  return Directory(dir, std::move(*root), std::move(inter));
}

core::Result<std::string> Directory::next_serial() {
  auto text = read_text(dir_ / "serial");
  if (!text) return Error::make("pki_state", text.error().message);
  auto s = *text;
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  auto cur = normalize_serial(s);
  if (!cur) return Error::make("pki_state", (dir_ / "serial").string() + ": corrupt serial file");
  auto bytes = Botan::hex_decode(*cur);
  for (std::size_t i = bytes.size(); i-- > 0;)
    if (++bytes[i] != 0) break;
  if (auto w = write_file(dir_ / "serial", serial_hex({bytes.begin(), bytes.end()}) + "\n"); !w)
    return w.error();
  return *cur;
}

core::Result<Issued> Directory::issue(const IssueOptions& opts) {
  if (opts.emails.empty()) return Error::make("pki_usage", "pki issue needs --email");
  const Authority& ca = opts.from_root ? root_ : issuing();
  auto key = generate_key(opts.key);
  bool ec = key->algo_name() == "ECDSA";
  unsigned ku = 0;
  if (opts.usage != Usage::encrypt) ku |= Botan::DIGITAL_SIGNATURE | Botan::NON_REPUDIATION;
  if (opts.usage != Usage::sign) ku |= ec ? Botan::KEY_AGREEMENT : Botan::KEY_ENCIPHERMENT;
  auto serial = next_serial();
  if (!serial) return serial.error();
  auto [nb, na] = window(opts.validity);
  CertSpec spec{.common_name = opts.name.empty() ? opts.emails.front() : opts.name,
                .usage = Botan::Key_Constraints(ku),
                .crl_urls = opts.crl_urls,
                .aia_ca_issuers = opts.aia_url,
                .aia_ocsp = opts.ocsp_url,
                .not_before = nb,
                .not_after = na,
                .serial_hex = *serial};
  if (opts.subject_email) spec.subject_emails = opts.emails;
  if (!opts.no_san) spec.san_emails = opts.emails;
  if (opts.eku == Eku::email) spec.eku_oids = {"1.3.6.1.5.5.7.3.4"};
  if (opts.eku == Eku::server_auth) spec.eku_oids = {"1.3.6.1.5.5.7.3.1"};
  auto cert = make_certificate(spec, *key, &ca);
  if (!cert) return cert.error();
  Issued out{*serial, *cert, std::move(key), dir_ / "issued" / (*serial + ".pem"),
             dir_ / "issued" / (*serial + ".key.pem")};
  if (auto s = save(out.cert_path, out.key_path, out.certificate, *out.key); !s) return s.error();
  return out;
}

}  // namespace smimegw::app::pki
