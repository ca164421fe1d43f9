// test_transport_inbound: fakes of the processor's collaborators (keys, catalog, trace) over the
// openssl-made test PKI, and a driver that runs one process() call to completion.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "inbound_pki.hpp"
#include "smimegw/transport/inbound.hpp"
#include "smimegw/trust/validator.hpp"

namespace smimegw::test {

namespace asio = boost::asio;

inline directory::KeyMaterial key_material(const Identity& id) {
  directory::UserCertificate rec;
  rec.user_address = id.email;
  rec.not_before = id.cert.not_before().to_std_timepoint();
  rec.not_after = id.cert.not_after().to_std_timepoint();
  rec.has_private_key = true;
  return {rec, id.cert, id.key};
}

inline std::shared_ptr<const directory::GatewayKey> gateway_key() {
  const Identity& g = identity("gateway");
  auto k =
      std::make_shared<directory::GatewayKey>(directory::GatewayKey{g.cert, g.key, "GW", true});
  directory::derive_seal_key(*k);
  return k;
}

struct FakeKeys final : transport::InboundKeySource {
  std::vector<directory::KeyMaterial> owner;
  std::optional<core::Error> owner_error;
  std::vector<std::shared_ptr<const directory::GatewayKey>> gateway;
  std::optional<core::Error> gateway_error;
  int owner_calls = 0;

  asio::awaitable<core::Result<std::vector<directory::KeyMaterial>>> owner_keys(
      std::string) override {
    ++owner_calls;
    if (owner_error) co_return *owner_error;
    co_return owner;
  }
  asio::awaitable<core::Result<std::vector<std::shared_ptr<const directory::GatewayKey>>>>
  gateway_keys() override {
    if (gateway_error) co_return *gateway_error;
    co_return gateway;
  }
};

struct FakeCatalog final : transport::LabelCatalog {
  std::shared_ptr<const policy::Catalog> cat;
  std::optional<core::Error> error;
  asio::awaitable<core::Result<std::shared_ptr<const policy::Catalog>>> catalog() override {
    if (error) co_return *error;
    co_return cat;
  }
};

struct FakeTrace final : transport::TraceStore {
  std::vector<transport::TraceEvent> events;
  asio::awaitable<core::Status> record(std::vector<transport::TraceEvent> ev) override {
    events.insert(events.end(), ev.begin(), ev.end());
    co_return core::Status{};
  }
  asio::awaitable<core::Result<std::vector<transport::TraceEvent>>> list(std::string) override {
    co_return events;
  }
  const transport::TraceEvent* find(const std::string& event) const {
    for (const auto& e : events)
      if (e.event == event) return &e;
    return nullptr;
  }
};

constexpr const char* kHost = "mx.example.com";
constexpr const char* kTenant = "11111111-2222-3333-4444-555555555555";

/// A processor over fakes: bob's keys and the gateway key; the test CA as the only anchor;
/// revocation off unless asked.
struct Rig {
  FakeKeys keys;
  FakeCatalog labels;
  FakeTrace trace;
  core::SystemClock clock;
  std::unique_ptr<trust::Validator> validator;
  std::unique_ptr<transport::InboundProcessor> processor;

  explicit Rig(trust::RevocationMode revocation = trust::RevocationMode::off,
               std::function<directory::CertificateService*(trust::Validator&)> harvester = {}) {
    keys.owner.push_back(key_material(identity("bob")));
    keys.gateway.push_back(gateway_key());
    trust::ValidatorOptions vo;
    vo.fetch_crls = false;
    vo.fetch_aia = false;
    validator = std::make_unique<trust::Validator>(
        std::vector<Botan::X509_Certificate>{Botan::X509_Certificate(ca_pem().string())}, nullptr,
        vo);
    transport::InboundOptions o;
    o.authserv_id = kHost;
    o.tenant_id = kTenant;
    o.revocation = revocation;
    directory::CertificateService* h = harvester ? harvester(*validator) : nullptr;
    processor = std::make_unique<transport::InboundProcessor>(keys, *validator, h, &trace, &labels,
                                                              clock, o);
  }

  core::Result<transport::LocalCopy> run(std::string body, std::string label_id = {}) {
    asio::io_context io;
    std::optional<core::Result<transport::LocalCopy>> out;
    transport::LocalInput in{"Q1", "inbound", "bob@example.com", std::move(body),
                             std::move(label_id)};
    asio::co_spawn(io, drive(processor.get(), std::move(in), &out), asio::detached);
    io.run();
    return std::move(*out);
  }

 private:
  static asio::awaitable<void> drive(transport::InboundProcessor* p, transport::LocalInput in,
                                     std::optional<core::Result<transport::LocalCopy>>* out) {
    auto r = co_await p->process(std::move(in));
    out->emplace(std::move(r));
  }
};

/// Messages made by openssl: clear-signed by `signer` with From: `from`.
inline std::string signed_by(const std::string& signer, const std::string& from,
                             const std::string& text = "Hello Bob, signed.") {
  const Identity& s = identity(signer);
  auto c = content_file("c-" + signer + ".txt", text);
  return openssl_out("openssl cms -sign -in " + c.string() + " -signer " + s.cert_pem.string() +
                         " -inkey " + s.key_pem.string() +
                         (signer == "eve" ? " -certfile rogue.pem" : "") + " -from " + from +
                         " -to bob@example.com -subject signed",
                     "signed-" + signer + ".eml");
}

/// Encrypted by openssl to `recipients` (cert names), `cipher` e.g. -aes256 / -aes-256-gcm;
/// `tool` "cms" or "smime" (legacy x-pkcs7-mime).
inline std::string encrypted_to(const std::vector<std::string>& recipients,
                                const std::filesystem::path& content,
                                const std::string& cipher = "-aes256",
                                const std::string& tool = "cms") {
  std::string certs;
  for (const auto& r : recipients) certs += " " + identity(r).cert_pem.string();
  must("openssl " + tool + " -encrypt " + cipher + " -in " + content.string() +
       " -from alice@example.com -to bob@example.com -subject secret -out enc.eml" + certs);
  return slurp(work_dir() / "enc.eml");
}

/// The length of the first header field, folding included (up to its final CRLF).
inline std::size_t first_field_size(const std::string& s) {
  std::size_t p = 0;
  for (;;) {
    p = s.find("\r\n", p);
    if (p == std::string::npos) return s.size();
    if (p + 2 < s.size() && (s[p + 2] == ' ' || s[p + 2] == '\t')) {
      p += 2;
      continue;
    }
    return p + 2;
  }
}

/// `s` with every CRLF as LF.
inline std::string lf(std::string s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (!(s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n')) out += s[i];
  return out;
}

/// The first header field, unfolded, without its CRLF.
inline std::string first_line(const std::string& s) {
  std::string f = s.substr(0, first_field_size(s));
  std::string out;
  for (std::size_t i = 0; i < f.size(); ++i) {
    if (f[i] == '\r' && i + 1 < f.size() && f[i + 1] == '\n') {
      ++i;
      continue;
    }
    out += f[i];
  }
  return out;
}

}  // namespace smimegw::test
