// parse_pkcs12 failure semantics: wrong_password vs mac_mismatch, malformed input, limits, and a
// byte-flip sweep that must never crash or succeed.
#include <botan/auto_rng.h>

#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "pkcs12_test_util.hpp"
#include "smimegw/cms/pkcs12.hpp"

using namespace smimegw::test::p12;
using smimegw::cms::parse_pkcs12;
using smimegw::cms::Pkcs12Limits;

namespace {

std::string mat(const std::string& name) {
  return material().dir / name;
}

/// One EC entry + the CA as chain, 2048 iterations everywhere: the layout ends with
/// digest(32) | 04 10 salt(16) | 02 02 08 00.
Bytes exported(bool with_chain = true) {
  Botan::AutoSeeded_RNG rng;
  auto key = load_key_pem(mat("ec.key"));
  const Botan::X509_Certificate cert(mat("ec.pem"));
  const std::vector<smimegw::cms::Pkcs12ExportEntry> entries{{key.get(), &cert, "ec"}};
  smimegw::cms::Pkcs12ExportOptions opts;
  opts.pbkdf2_iterations = 2048;
  opts.mac_iterations = 2048;
  if (with_chain) opts.chain.emplace_back(mat("ca.pem"));
  auto r = smimegw::cms::export_pkcs12(entries, "pw", rng, opts);
  REQUIRE(r.ok());
  return *r;
}

std::string code_of(const Bytes& der, const std::string& pw, const Pkcs12Limits& lim = {}) {
  auto r = parse_pkcs12(der, pw, lim);
  return r.ok() ? "ok" : r.error().code;
}

}  // namespace

TEST_CASE("wrong password is wrong_password for modern, legacy and exported files") {
  TempDir d;
  must_run(d, "openssl pkcs12 -export -inkey '" + mat("rsa.key") + "' -in '" + mat("rsa.pem") +
                  "' -passout pass:right -out modern.p12 && openssl pkcs12 -export -inkey '" +
                  mat("rsa.key") + "' -in '" + mat("rsa.pem") +
                  "' -keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -macalg sha1 -passout pass:right "
                  "-out legacy.p12");
  for (const char* f : {"modern.p12", "legacy.p12"}) {
    INFO(f);
    const Bytes der = read_bytes(d.path() / f);
    CHECK(code_of(der, "right") == "ok");
    CHECK(code_of(der, "wrong") == "wrong_password");
    CHECK(code_of(der, "") == "wrong_password");
    CHECK(code_of(der, "Right") == "wrong_password");
  }
  CHECK(code_of(exported(), "PW") == "wrong_password");
}

TEST_CASE("a flipped byte in the MAC or in the protected content is mac_mismatch") {
  const Bytes good = exported();
  REQUIRE(code_of(good, "pw") == "ok");
  const std::size_t n = good.size();
  REQUIRE(good[n - 4] == 0x02);        // iterations INTEGER
  REQUIRE(good[n - 22] == 0x04);       // salt OCTET STRING
  REQUIRE(good[n - 22 - 34] == 0x04);  // digest OCTET STRING, 32 bytes
  SECTION("MAC digest") {
    Bytes b = good;
    b[n - 23] ^= 0x01;
    CHECK(code_of(b, "pw") == "mac_mismatch");
    CHECK(code_of(b, "wrong") == "wrong_password");
  }
  SECTION("MAC salt") {
    Bytes b = good;
    b[n - 5] ^= 0x80;
    CHECK(code_of(b, "pw") == "mac_mismatch");
  }
  SECTION("encrypted certificate content") {
    Bytes b = good;
    b[400] ^= 0x20;
    CHECK(code_of(b, "pw") == "mac_mismatch");
  }
  SECTION("encrypted key content") {
    Bytes b = good;
    b[n - 22 - 34 - 60 - 80] ^= 0x01;
    CHECK(code_of(b, "pw") == "mac_mismatch");
  }
}

TEST_CASE("truncated, empty and garbage input is malformed") {
  const Bytes good = exported(false);
  for (std::size_t len = 0; len < good.size(); len += 7) {
    INFO(len);
    CHECK(code_of(Bytes(good.begin(), good.begin() + len), "pw") == "malformed");
  }
  Bytes trailing = good;
  trailing.push_back(0);
  CHECK(code_of(trailing, "pw") == "malformed");
  const std::string text = "-----BEGIN PKCS12-----\nnot der\n";
  CHECK(code_of(Bytes(text.begin(), text.end()), "pw") == "malformed");
  Botan::AutoSeeded_RNG rng;
  for (int i = 0; i < 50; ++i) {
    Bytes junk(1 + rng.next_byte() * 8);
    rng.randomize(junk.data(), junk.size());
    CHECK(code_of(junk, "pw") == "malformed");
  }
  // Deep nesting of indefinite-length sequences: limit, not recursion until the stack runs out.
  Bytes deep;
  for (int i = 0; i < 100000; ++i) deep.insert(deep.end(), {0x30, 0x80});
  CHECK(code_of(deep, "pw") == "limit_exceeded");
}

TEST_CASE("limits on size, iterations, bag count and depth give limit_exceeded") {
  const Bytes good = exported();
  Pkcs12Limits size;
  size.max_input_bytes = good.size() - 1;
  CHECK(code_of(good, "pw", size) == "limit_exceeded");
  Pkcs12Limits iter;
  iter.max_iterations = 2047;
  CHECK(code_of(good, "pw", iter) == "limit_exceeded");
  Pkcs12Limits bags;
  bags.max_bags = 2;  // two certificate bags + one key bag
  CHECK(code_of(good, "pw", bags) == "limit_exceeded");
  bags.max_bags = 3;
  CHECK(code_of(good, "pw", bags) == "ok");
  Pkcs12Limits work;
  work.max_total_iterations = 2048 * 3 - 1;  // MAC + certificate bags + key bag
  CHECK(code_of(good, "pw", work) == "limit_exceeded");
  work.max_total_iterations = 2048 * 3;
  CHECK(code_of(good, "pw", work) == "ok");
  Pkcs12Limits depth;
  depth.max_depth = 5;
  CHECK(code_of(good, "pw", depth) == "limit_exceeded");
}

TEST_CASE("no single flipped byte anywhere in the file is accepted, and nothing crashes") {
  const Bytes good = exported(false);
  const std::set<std::string> allowed{"malformed", "mac_mismatch", "wrong_password",
                                      "unsupported_algorithm", "limit_exceeded"};
  std::map<std::string, int> seen;
  for (std::size_t i = 0; i < good.size(); i += 3) {
    for (std::uint8_t mask : {0x01, 0x80}) {
      Bytes b = good;
      b[i] ^= mask;
      const std::string code = code_of(b, "pw");
      INFO("offset " << i << " mask " << int(mask) << " -> " << code);
      CHECK(allowed.count(code) == 1);
      ++seen[code];
    }
  }
  CHECK(seen["mac_mismatch"] > 0);
  CHECK(seen["malformed"] > 0);
}
