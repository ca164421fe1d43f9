// extract_certificates: PEM bundles, DER, PKCS#7 certs-only, serialized stores, bad input.
#include "smimegw/trust/import.hpp"

#include <catch2/catch.hpp>
#include <random>

#include "collection_test_util.hpp"

using namespace smimegw;
using test::Bytes;

namespace {
Bytes bytes_of(const std::string& s) {
  return Bytes(s.begin(), s.end());
}
}  // namespace

TEST_CASE("a PEM bundle yields every certificate in order, other blocks as not_certificate") {
  auto a = test::make_root("Bundle A"), b = test::make_root("Bundle B");
  std::string text = "subject=whatever\n" + a.pem() +
                     "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n" + b.pem();
  auto r = trust::extract_certificates(bytes_of(text));
  REQUIRE(r.ok());
  CHECK(r->format == "pem");
  REQUIRE(r->items.size() == 3);
  CHECK(r->items[0].der == a.der());
  CHECK(r->items[0].origin == "PEM block 1");
  CHECK(r->items[1].der.empty());
  CHECK(r->items[1].not_certificate.find("PRIVATE KEY") != std::string::npos);
  CHECK(r->items[2].der == b.der());
}

TEST_CASE("a single DER certificate is one item") {
  auto a = test::make_root("DER");
  auto r = trust::extract_certificates(a.der());
  REQUIRE(r.ok());
  CHECK(r->format == "der");
  REQUIRE(r->items.size() == 1);
  CHECK(r->items[0].der == a.der());
}

TEST_CASE("PKCS#7 certs-only in DER and in PEM armour yields its certificates") {
  auto [root, inter] = test::make_root_and_intermediate("P7");
  auto p7 = test::pkcs7_certs_only({root.der(), inter.der()});
  auto r = trust::extract_certificates(p7);
  REQUIRE(r.ok());
  CHECK(r->format == "pkcs7");
  REQUIRE(r->items.size() == 2);
  CHECK(r->items[0].der == root.der());
  CHECK(r->items[1].der == inter.der());

  std::string b64 = "-----BEGIN PKCS7-----\n";
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (std::size_t i = 0; i < p7.size(); i += 3) {
    std::uint32_t v = p7[i] << 16 | (i + 1 < p7.size() ? p7[i + 1] << 8 : 0) |
                      (i + 2 < p7.size() ? p7[i + 2] : 0);
    b64 += alphabet[v >> 18 & 63];
    b64 += alphabet[v >> 12 & 63];
    b64 += i + 1 < p7.size() ? alphabet[v >> 6 & 63] : '=';
    b64 += i + 2 < p7.size() ? alphabet[v & 63] : '=';
    if ((i / 3 + 1) % 16 == 0) b64 += "\n";
  }
  b64 += "\n-----END PKCS7-----\n";
  auto pem = trust::extract_certificates(bytes_of(b64));
  REQUIRE(pem.ok());
  CHECK(pem->format == "pem");
  REQUIRE(pem->items.size() == 2);
  CHECK(pem->items[1].der == inter.der());
  CHECK(pem->items[1].origin == "PEM block 1 certificate 2");
}

TEST_CASE("a PKCS#7 without certificates is no_certificates; other content types are malformed") {
  auto r = trust::extract_certificates(test::pkcs7_certs_only({}));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "no_certificates");
  // ContentInfo(data) with an OCTET STRING: not SignedData.
  Bytes data = {0x30, 0x12, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
                0x01, 0x07, 0x01, 0xa0, 0x05, 0x04, 0x03, 'a',  'b',  'c'};
  auto d = trust::extract_pkcs7(data);
  REQUIRE_FALSE(d.ok());
  CHECK(d.error().code == "malformed");
}

TEST_CASE(
    "a serialized store built byte by byte yields its certificates; CRL elements are reported") {
  auto a = test::make_root("SST A"), b = test::make_root("SST B");
  Bytes friendly = {'A', 0, 0, 0};  // CERT_FRIENDLY_NAME_PROP_ID (11), UTF-16LE "A"
  Bytes sha1(20, 0xAB);             // CERT_SHA1_HASH_PROP_ID (3)
  test::StoreBuilder s;
  s.element(11, friendly).element(3, sha1).element(0x20, a.der());
  s.element(0x20, b.der()).element(0x21, {0x30, 0x00}).end();
  auto r = trust::extract_certificates(s.bytes);
  REQUIRE(r.ok());
  CHECK(r->format == "sst");
  REQUIRE(r->items.size() == 3);
  CHECK(r->items[0].der == a.der());
  CHECK(r->items[0].origin == "SST element 3 at offset 56");
  CHECK(r->items[1].der == b.der());
  CHECK(r->items[2].not_certificate == "a CRL, not a certificate");

  test::StoreBuilder no_end;  // the end marker is optional
  no_end.element(0x20, a.der());
  auto r2 = trust::extract_certificates(no_end.bytes);
  REQUIRE(r2.ok());
  CHECK(r2->items.size() == 1);
}

TEST_CASE("broken serialized stores are malformed, never read past the end") {
  auto a = test::make_root("SST broken");
  test::StoreBuilder good;
  good.element(0x20, a.der());
  SECTION("truncated inside the certificate") {
    Bytes cut(good.bytes.begin(), good.bytes.end() - 10);
    auto r = trust::extract_certificates(cut);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "malformed");
    CHECK(r.error().message.find("runs past the end") != std::string::npos);
  }
  SECTION("truncated element header") {
    Bytes cut(good.bytes.begin(), good.bytes.begin() + 8 + 7);
    CHECK(trust::extract_certificates(cut).error().code == "malformed");
  }
  SECTION("wrong encoding type") {
    test::StoreBuilder s;
    s.element(0x20, a.der(), 7);
    CHECK(trust::extract_certificates(s.bytes).error().code == "malformed");
  }
  SECTION("huge length") {
    test::StoreBuilder s;
    s.element(0x20, {});
    s.bytes[8 + 8] = 0xFF;
    s.bytes[8 + 11] = 0xFF;
    CHECK(trust::extract_certificates(s.bytes).error().code == "malformed");
  }
  SECTION("header only") {
    test::StoreBuilder s;
    CHECK(trust::extract_certificates(s.bytes).error().code == "no_certificates");
  }
}

TEST_CASE("garbage, empty, truncated PEM and oversized input get codes") {
  CHECK(trust::extract_certificates(bytes_of("hello world")).error().code == "malformed");
  CHECK(trust::extract_certificates(Bytes{}).error().code == "malformed");
  auto a = test::make_root("Trunc");
  auto pem = a.pem();
  CHECK(trust::extract_certificates(bytes_of(pem.substr(0, pem.size() / 2))).error().code ==
        "malformed");
  auto der = a.der();
  CHECK(trust::extract_certificates(Bytes(der.begin(), der.end() - 1)).error().code == "malformed");
  trust::ImportLimits small;
  small.max_input_bytes = 100;
  CHECK(trust::extract_certificates(der, small).error().code == "too_large");
  auto bad64 = trust::extract_certificates(
      bytes_of("-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n"));
  REQUIRE(bad64.ok());
  CHECK(bad64->items.at(0).problem == "bad base64");
}

TEST_CASE("random bytes and every truncation of valid files never crash") {
  auto [root, inter] = test::make_root_and_intermediate("Fuzz");
  auto p7 = test::pkcs7_certs_only({root.der(), inter.der()});
  test::StoreBuilder s;
  s.element(0x20, root.der()).end();
  std::mt19937 gen(42);
  for (const Bytes& valid : {p7, s.bytes, root.der()}) {
    for (std::size_t n = 0; n < valid.size(); n += 7) {
      auto r = trust::extract_certificates(Bytes(valid.begin(), valid.begin() + n));
      (void)r;
    }
    for (int i = 0; i < 200; ++i) {
      Bytes m = valid;
      m[gen() % m.size()] ^= static_cast<std::uint8_t>(1 + gen() % 255);
      auto r = trust::extract_certificates(m);
      (void)r;
    }
  }
  for (int i = 0; i < 200; ++i) {
    Bytes junk(gen() % 300);
    for (auto& b : junk) b = static_cast<std::uint8_t>(gen());
    if (!junk.empty() && i % 2) junk[0] = 0x30;
    auto r = trust::extract_certificates(junk);
    (void)r;
  }
  SUCCEED("no crash");
}

TEST_CASE("PKCS#7 certs-only in BER with indefinite lengths is read too") {
  auto [root, inter] = test::make_root_and_intermediate("BER");
  const Bytes signed_data_oid = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02};
  const Bytes data_oid = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01};
  Bytes b = {0x30, 0x80};
  b.insert(b.end(), signed_data_oid.begin(), signed_data_oid.end());
  for (std::uint8_t x : {0xA0, 0x80, 0x30, 0x80, 0x02, 0x01, 0x01, 0x31, 0x00, 0x30, 0x80})
    b.push_back(x);
  b.insert(b.end(), data_oid.begin(), data_oid.end());
  for (std::uint8_t x : {0x00, 0x00, 0xA0, 0x80}) b.push_back(x);
  for (const auto& c : {root.der(), inter.der()}) b.insert(b.end(), c.begin(), c.end());
  for (std::uint8_t x : {0x00, 0x00, 0x31, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00})
    b.push_back(x);
  auto r = trust::extract_certificates(b);
  INFO((r.ok() ? std::string() : r.error().code + ": " + r.error().message));
  REQUIRE(r.ok());
  CHECK(r->format == "pkcs7");
  REQUIRE(r->items.size() == 2);
  CHECK(r->items[0].der == root.der());
  CHECK(r->items[1].der == inter.der());
}
