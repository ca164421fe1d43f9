// transport: the issuers a signature carries for includeChain (signing_chain.hpp), on a
// root → intermediate → leaf chain made by openssl, next to an unrelated root with the same name.
#include "smimegw/transport/signing_chain.hpp"

#include <botan/x509_dn.h>

#include <catch2/catch.hpp>

#include "inbound_pki.hpp"

using namespace smimegw;
using smimegw::test::must;
using smimegw::test::work_dir;

namespace {

struct Chain {
  Botan::X509_Certificate root, intermediate, leaf, impostor;
};

const Chain& chain() {
  static const Chain c = [] {
    const std::string ca =
        " -addext basicConstraints=critical,CA:TRUE"
        " -addext keyUsage=critical,keyCertSign,cRLSign";
    must(
        "openssl req -x509 -newkey rsa:2048 -nodes -keyout chr.key -out chr.pem -days 30"
        " -subj '/CN=Chain Root'" +
        ca);
    // same subject, other key: must not be taken for the intermediate's issuer
    must(
        "openssl req -x509 -newkey rsa:2048 -nodes -keyout chx.key -out chx.pem -days 30"
        " -subj '/CN=Chain Root'" +
        ca);
    must(
        "openssl req -new -newkey rsa:2048 -nodes -keyout chi.key -out chi.csr"
        " -subj '/CN=Chain Intermediate' && printf "
        "'basicConstraints=critical,CA:TRUE\\nkeyUsage=critical,keyCertSign,cRLSign\\n' >chi.ext"
        " && openssl x509 -req -in chi.csr -CA chr.pem -CAkey chr.key -CAcreateserial"
        " -days 30 -extfile chi.ext -out chi.pem");
    must(
        "openssl req -new -newkey rsa:2048 -nodes -keyout chl.key -out chl.csr"
        " -subj '/CN=Chain Leaf' && printf 'keyUsage=critical,digitalSignature\\n' >chl.ext"
        " && openssl x509 -req -in chl.csr -CA chi.pem -CAkey chi.key -CAcreateserial"
        " -days 30 -extfile chl.ext -out chl.pem");
    auto load = [](const char* f) { return Botan::X509_Certificate((work_dir() / f).string()); };
    return Chain{load("chr.pem"), load("chi.pem"), load("chl.pem"), load("chx.pem")};
  }();
  return c;
}

std::vector<std::string> subjects(const std::vector<Botan::X509_Certificate>& certs) {
  std::vector<std::string> out;
  for (const auto& c : certs) out.push_back(c.subject_dn().get_first_attribute("CN"));
  return out;
}

}  // namespace

TEST_CASE("signing chain: issuers found by name and signature, nearest first, root last") {
  const auto& c = chain();
  std::vector<Botan::X509_Certificate> pool{c.impostor, c.root, c.intermediate};
  auto issuers = transport::issuers_from(c.leaf, pool);
  REQUIRE(subjects(issuers) == std::vector<std::string>{"Chain Intermediate", "Chain Root"});
  CHECK(issuers[1] == c.root);  // not the impostor with the same name
}

TEST_CASE("signing chain: includeChain none, withoutRoot and withRoot") {
  const auto& c = chain();
  std::vector<Botan::X509_Certificate> pool{c.root, c.intermediate};
  auto issuers = transport::issuers_from(c.leaf, pool);
  CHECK(transport::carried_chain(issuers, "none").empty());
  CHECK(subjects(transport::carried_chain(issuers, "withoutRoot")) ==
        std::vector<std::string>{"Chain Intermediate"});
  CHECK(subjects(transport::carried_chain(issuers, "withRoot")) ==
        std::vector<std::string>{"Chain Intermediate", "Chain Root"});
}

TEST_CASE("signing chain: stops where the collection has no issuer") {
  const auto& c = chain();
  CHECK(transport::issuers_from(c.leaf, {c.root}).empty());                  // intermediate missing
  CHECK(transport::issuers_from(c.root, {c.root, c.intermediate}).empty());  // self-signed
  auto partial = transport::issuers_from(c.leaf, {c.intermediate});
  CHECK(subjects(partial) == std::vector<std::string>{"Chain Intermediate"});
}
