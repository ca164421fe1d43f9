// The body of every libFuzzer target, shared with the Catch2 test that replays
// tests/fuzz/regressions/TARGET/* (tests/unit/smime/fuzz_regressions_test.cpp). Each body must
// never crash, leak or trip a sanitizer, whatever the input.
#pragma once

#include <botan/auto_rng.h>
#include <botan/pk_keys.h>
#include <botan/rsa.h>
#include <botan/x509_ca.h>
#include <botan/x509self.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "smimegw/cms/content_info.hpp"
#include "smimegw/cms/enveloped_data.hpp"
#include "smimegw/cms/pkcs12.hpp"
#include "smimegw/cms/signed_data.hpp"
#include "smimegw/mime/canonical.hpp"
#include "smimegw/mime/outer_split.hpp"
#include "smimegw/mime/parser.hpp"
#include "smimegw/mime/part_content.hpp"
#include "smimegw/smime/inspect.hpp"

namespace smimegw::fuzz {

/// One small RSA identity for the decrypt paths (made once per process; 1024 bits is plenty
/// for exercising the parsers).
struct FuzzKey {
  Botan::AutoSeeded_RNG rng;
  std::unique_ptr<Botan::RSA_PrivateKey> key;
  std::unique_ptr<Botan::X509_Certificate> cert;
  FuzzKey() {
    key = std::make_unique<Botan::RSA_PrivateKey>(rng, 1024);
    Botan::X509_Cert_Options opt("fuzz");
    opt.email = "fuzz@example.com";
    cert = std::make_unique<Botan::X509_Certificate>(
        Botan::X509::create_self_signed_cert(opt, *key, "SHA-256", rng));
  }
};

inline FuzzKey& fuzz_key() {
  static FuzzKey k;
  return k;
}

inline void cms_decoder(const std::uint8_t* data, std::size_t size) {
  std::span<const std::uint8_t> in(data, size);
  cms::Limits lim;
  lim.max_elements = 20000;
  auto ci = cms::parse_content_info(in, lim);
  if (!ci) return;
  cms::VerifyOptions vo;
  vo.limits = lim;
  (void)cms::verify(in, std::nullopt, vo);
  static const std::uint8_t detached[] = "Content-Type: text/plain\r\n\r\nhello\r\n";
  (void)cms::verify(in, std::span<const std::uint8_t>(detached, sizeof detached - 1), vo);
  auto& k = fuzz_key();
  cms::DecryptOptions dopt;
  dopt.limits = lim;
  (void)cms::decrypt(in, cms::DecryptKey(*k.cert, k.key.get()), k.rng, dopt);
  // KEKRecipientInfo: a fixed AES-256 KEK named "fuzz" (seed: regressions/cms_decoder/kekri_*)
  static const Botan::secure_vector<std::uint8_t> kek(32, 0x42);
  (void)cms::decrypt(in, cms::DecryptKey(std::vector<std::uint8_t>{'f', 'u', 'z', 'z'}, &kek),
                     k.rng, dopt);
}

inline void pkcs12(const std::uint8_t* data, std::size_t size) {
  cms::Pkcs12Limits lim;
  lim.max_iterations = 4096;
  lim.max_total_iterations = 20000;
  (void)cms::parse_pkcs12(std::span<const std::uint8_t>(data, size), "nss", lim);
}

inline void walk(const mime::Message& m, const mime::Part& p) {
  (void)mime::decode_body(m, p, false);
  (void)mime::decode_body(m, p, true);
  (void)p.charset();
  if (p.content_type.is("multipart", "signed")) (void)mime::signed_content(m, p);
  for (const auto& c : p.children) walk(m, c);
}

inline void mime_parser(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  mime::Limits lim;
  lim.max_parts = 200;
  auto m = mime::parse(in, lim);
  if (!m) return;
  walk(*m, m->root);
  auto split = mime::split_outer(*m);
  (void)mime::wrap_outer(split.outer, split.content);
  (void)m->header("From");
}

inline void smime_inspect(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto& k = fuzz_key();
  smime::InspectOptions o;
  o.keys.emplace_back(*k.cert, k.key.get());
  o.mime_limits.max_parts = 200;
  o.cms_limits.max_elements = 20000;
  auto r = smime::inspect(in, o, k.rng);
  if (r) {
    (void)r->signature_status();
    (void)r->first_error();
  }
}

}  // namespace smimegw::fuzz
