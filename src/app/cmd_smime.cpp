// app: `smimegw smime sign|encrypt|decrypt|verify` — an operator's tool in the spirit of
// `openssl cms` over whole RFC 5322 messages (issue 3).
//
//   sign    --signer C.pem --key K.pem | --pkcs12 F.p12 --password-file P [--chain I.pem ...]
//           --in M.eml --out O.eml
//   encrypt --recipient C.pem [--recipient ...] [--cipher aes-256-cbc|aes-128-cbc|aes-128-gcm|
//           aes-256-gcm] [--rsa-oaep] --in M.eml --out O.eml
//   decrypt --pkcs12 F.p12 --password-file P | --key K.pem --cert C.pem --in M.eml --out O.eml
//   verify  --in M.eml [--trust R.pem ... | --db [-c CONFIG]] [--untrusted I.pem ...] [--crl F ...]
//           [--at TIME] [--revocation require|prefer|off] [--ocsp off|prefer|require] [--offline]
//           [--accept-sha1] [--json]
//           Without --trust/--db only the signature math and the From: address are checked; with
//           them every signer certificate goes through the trust service (as `cert verify
//           --usage sign`), its codes become signer errors and --json adds a "trust" object.
//
// Exit codes: 0 success; 1 verification or decryption failed (the reason code is printed);
// 2 usage error or unreadable input (files, keys, PKCS#12, a message over the parser limits).
#include <botan/auto_rng.h>

#include <chrono>
#include <iostream>

#include "args.hpp"
#include "commands.hpp"
#include "smime_cli.hpp"
#include "smimegw/cms/certificate_id.hpp"
#include "smimegw/smime/smime.hpp"
#include "smimegw/smime/trust_check.hpp"
#include "smimegw/trust/cert_io.hpp"
#include "trust_cli.hpp"

namespace smimegw::app {
namespace {

int usage_error(const std::string& msg) {
  report("smime: " + msg);
  return 2;
}

std::optional<Args> parse(int argc, char** argv, std::vector<OptionSpec> spec, std::string& err) {
  spec.push_back({"in", 0, true, false});
  spec.push_back({"out", 0, true, false});
  auto args = parse_args(argc, argv, 2, spec, err);
  if (args && !args->positional.empty()) {
    err = "unexpected argument " + args->positional.front();
    return std::nullopt;
  }
  if (args && !args->has("in")) {
    err = "--in is required";
    return std::nullopt;
  }
  return args;
}

/// Signing identity from --signer/--key or --pkcs12/--password-file (+ --chain).
struct SigningIdentity {
  std::unique_ptr<Botan::Private_Key> owned_key;
  std::optional<cms::Pkcs12Contents> p12;
  std::optional<smime::Signer> signer;
};

bool load_signer(const Args& a, Botan::RandomNumberGenerator& rng, SigningIdentity& id,
                 std::string& err) {
  std::vector<Botan::X509_Certificate> chain;
  for (const auto& f : a.all("chain")) {
    auto certs = load_certificates(f, err);
    if (!certs) return false;
    chain.insert(chain.end(), certs->begin(), certs->end());
  }
  if (a.has("pkcs12")) {
    if (a.has("signer") || a.has("key") || !a.has("password-file")) {
      err = "use --pkcs12 with --password-file, or --signer with --key";
      return false;
    }
    id.p12 = load_pkcs12(a.get("pkcs12"), a.get("password-file"), err);
    if (!id.p12) return false;
    for (auto& e : id.p12->entries) {
      if (!e.certificate) continue;
      smime::Signer s{*e.certificate, e.private_key.get()};
      for (const auto& x : id.p12->extra_certificates)
        if (x.certificate) s.chain.push_back(*x.certificate);
      s.chain.insert(s.chain.end(), chain.begin(), chain.end());
      id.signer = std::move(s);
      return true;
    }
    err = a.get("pkcs12") + ": no key with a usable certificate";
    return false;
  }
  if (!a.has("signer") || !a.has("key")) {
    err = "give --signer C.pem --key K.pem, or --pkcs12 F.p12 --password-file P";
    return false;
  }
  auto certs = load_certificates(a.get("signer"), err);
  if (!certs) return false;
  id.owned_key = load_private_key(a.get("key"), rng, err);
  if (!id.owned_key) return false;
  smime::Signer s{certs->front(), id.owned_key.get()};
  s.chain.assign(certs->begin() + 1, certs->end());
  s.chain.insert(s.chain.end(), chain.begin(), chain.end());
  id.signer = std::move(s);
  return true;
}

int finish(const core::Result<std::string>& out, const Args& a, const char* what) {
  if (!out) {
    report(std::string("smime ") + what + ": " + out.error().code + ": " + out.error().message);
    const auto& c = out.error().code;
    return c == "message_too_large" || c == "header_too_long" || c == "too_many_headers" ||
                   c == "mime_too_deep" || c == "too_many_parts"
               ? 2
               : 1;
  }
  std::string err;
  if (!write_whole(a.get("out"), *out, err)) return usage_error(err);
  return 0;
}

int do_sign(int argc, char** argv) {
  std::string err;
  auto a = parse(argc, argv,
                 {{"signer", 0, true, false},
                  {"key", 0, true, false},
                  {"pkcs12", 0, true, false},
                  {"password-file", 0, true, false},
                  {"chain", 0, true, true}},
                 err);
  if (!a) return usage_error("sign: " + err);
  Botan::AutoSeeded_RNG rng;
  SigningIdentity id;
  if (!load_signer(*a, rng, id, err)) return usage_error("sign: " + err);
  auto msg = read_whole(a->get("in"), err);
  if (!msg) return usage_error("sign: " + err);
  smime::SignOptions so{std::chrono::system_clock::now()};
  return finish(smime::sign(*msg, *id.signer, so, rng), *a, "sign");
}

std::optional<cms::ContentCipher> cipher_named(const std::string& n) {
  if (n == "aes-256-cbc") return cms::ContentCipher::aes256_cbc;
  if (n == "aes-128-cbc") return cms::ContentCipher::aes128_cbc;
  if (n == "aes-128-gcm") return cms::ContentCipher::aes128_gcm;
  if (n == "aes-256-gcm") return cms::ContentCipher::aes256_gcm;
  return std::nullopt;
}

int do_encrypt(int argc, char** argv) {
  std::string err;
  auto a = parse(
      argc, argv,
      {{"recipient", 0, true, true}, {"cipher", 0, true, false}, {"rsa-oaep", 0, false, false}},
      err);
  if (!a) return usage_error("encrypt: " + err);
  if (!a->has("recipient")) return usage_error("encrypt: at least one --recipient is required");
  smime::EncryptOptions eo;
  if (a->has("cipher")) {
    auto c = cipher_named(a->get("cipher"));
    if (!c) return usage_error("encrypt: unknown --cipher " + a->get("cipher"));
    eo.cipher = *c;
  }
  eo.rsa_oaep = a->has("rsa-oaep");
  std::vector<Botan::X509_Certificate> recipients;
  for (const auto& f : a->all("recipient")) {
    auto certs = load_certificates(f, err);
    if (!certs) return usage_error("encrypt: " + err);
    recipients.push_back(certs->front());
  }
  auto msg = read_whole(a->get("in"), err);
  if (!msg) return usage_error("encrypt: " + err);
  Botan::AutoSeeded_RNG rng;
  return finish(smime::encrypt(*msg, recipients, eo, rng), *a, "encrypt");
}

/// Decryption keys from --pkcs12/--password-file or --key/--cert.
struct KeyRing {
  std::unique_ptr<Botan::Private_Key> owned_key;
  std::optional<cms::Pkcs12Contents> p12;
  std::vector<cms::DecryptKey> keys;
};

bool load_keys(const Args& a, Botan::RandomNumberGenerator& rng, KeyRing& ring, std::string& err) {
  if (a.has("pkcs12")) {
    if (a.has("key") || a.has("cert") || !a.has("password-file")) {
      err = "use --pkcs12 with --password-file, or --key with --cert";
      return false;
    }
    ring.p12 = load_pkcs12(a.get("pkcs12"), a.get("password-file"), err);
    if (!ring.p12) return false;
    for (auto& e : ring.p12->entries) {
      if (e.certificate) {
        ring.keys.emplace_back(*e.certificate, e.private_key.get());
      } else if (!e.certificate_der.empty()) {
        auto cid = cms::certificate_id(e.certificate_der);
        if (cid) ring.keys.emplace_back(std::move(*cid), e.private_key.get());
      }
    }
    if (ring.keys.empty()) {
      err = a.get("pkcs12") + ": no key with a certificate";
      return false;
    }
    return true;
  }
  if (!a.has("key") || !a.has("cert")) {
    err = "give --pkcs12 F.p12 --password-file P, or --key K.pem --cert C.pem";
    return false;
  }
  auto certs = load_certificates(a.get("cert"), err);
  if (!certs) return false;
  ring.owned_key = load_private_key(a.get("key"), rng, err);
  if (!ring.owned_key) return false;
  ring.keys.emplace_back(certs->front(), ring.owned_key.get());
  return true;
}

int do_decrypt(int argc, char** argv) {
  std::string err;
  auto a = parse(argc, argv,
                 {{"pkcs12", 0, true, false},
                  {"password-file", 0, true, false},
                  {"key", 0, true, false},
                  {"cert", 0, true, false}},
                 err);
  if (!a) return usage_error("decrypt: " + err);
  Botan::AutoSeeded_RNG rng;
  KeyRing ring;
  if (!load_keys(*a, rng, ring, err)) return usage_error("decrypt: " + err);
  auto msg = read_whole(a->get("in"), err);
  if (!msg) return usage_error("decrypt: " + err);
  auto d = smime::decrypt(*msg, ring.keys, rng);
  if (!d) return finish(d.error(), *a, "decrypt");
  return finish(std::move(d->message), *a, "decrypt");
}

// The trust service as the inspect() chain hook (smime/trust_check.hpp); the full results are
// kept for the JSON report.
smime::ChainCheck trust_chain_check(TrustSetup& setup, TrustResults& results) {
  smime::TrustCheckOptions o;
  o.at = setup.at;
  o.revocation = setup.revocation;
  o.untrusted = setup.untrusted;
  o.observe = [&results](const Botan::X509_Certificate& signer, trust::ValidationResult r) {
    results.emplace(trust::sha256_hex(signer), std::move(r));
  };
  return smime::trust_chain_check(*setup.validator, std::move(o));
}

int do_verify(int argc, char** argv) {
  std::string err;
  auto spec = trust_option_specs();
  spec.push_back({"json", 0, false, false});
  spec.push_back({"accept-sha1", 0, false, false});
  auto a = parse(argc, argv, spec, err);
  if (!a) return usage_error("verify: " + err);
  if (a->has("out")) return usage_error("verify: unknown option --out");
  smime::InspectOptions o;
  o.accept_sha1 = a->has("accept-sha1");
  TrustSetup setup;
  TrustResults results;
  const bool trusted = a->has("trust") || a->has("db");
  if (trusted) {
    trust::ValidatorOptions opt;
    opt.accept_sha1 = o.accept_sha1;
    if (int rc = make_trust_setup(*a, "smime verify", opt, setup); rc != 0) return rc;
    o.chain_check = trust_chain_check(setup, results);
  } else {
    for (const char* only_with_trust :
         {"untrusted", "crl", "at", "revocation", "ocsp", "offline", "config"})
      if (a->has(only_with_trust))
        return usage_error(std::string("verify: --") + only_with_trust + " needs --trust or --db");
  }
  auto msg = read_whole(a->get("in"), err);
  if (!msg) return usage_error("verify: " + err);
  Botan::AutoSeeded_RNG rng;
  auto rep = smime::inspect(*msg, o, rng);
  if (!rep) return usage_error("verify: " + rep.error().code + ": " + rep.error().message);
  std::cout << (a->has("json") ? report_json(*rep, trusted ? &results : nullptr)
                               : report_text(*rep, trusted ? &results : nullptr));
  if (rep->signature_status() == "good") return 0;
  std::string reason = rep->first_error();
  if (reason.empty()) reason = std::string(smime::errc::kNotSigned);
  for (const auto& l : rep->layers)
    if (l.status == "not_decrypted" && !rep->is_signed()) reason = "encrypted (decrypt first)";
  report("smime verify: verification failed: " + reason);
  return 1;
}

}  // namespace

int cmd_smime(int argc, char** argv) {
  const std::string sub = argc > 1 ? argv[1] : "";
  if (sub == "sign") return do_sign(argc, argv);
  if (sub == "encrypt") return do_encrypt(argc, argv);
  if (sub == "decrypt") return do_decrypt(argc, argv);
  if (sub == "verify") return do_verify(argc, argv);
  return usage_error(sub.empty() ? "missing subcommand (sign, encrypt, decrypt, verify)"
                                 : "unknown subcommand " + sub);
}

}  // namespace smimegw::app
