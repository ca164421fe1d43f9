#include "collection_test_util.hpp"

#include <botan/auto_rng.h>
#include <botan/der_enc.h>
#include <botan/ec_group.h>
#include <botan/ecdsa.h>
#include <botan/pkcs10.h>
#include <botan/x509_ca.h>
#include <botan/x509self.h>

namespace smimegw::test {

using Clock = std::chrono::system_clock;

namespace {
Botan::AutoSeeded_RNG& rng() {
  static Botan::AutoSeeded_RNG r;
  return r;
}
}  // namespace

TestCert make_self_signed(const std::string& cn, bool ca, std::chrono::hours start_offset,
                          std::chrono::hours end_offset) {
  Botan::ECDSA_PrivateKey key(rng(), Botan::EC_Group("secp256r1"));
  Botan::X509_Cert_Options opts(cn + "/US/smimegw tests");
  if (ca) opts.CA_key();
  auto now = Clock::now();
  opts.start = Botan::X509_Time(now + start_offset);
  opts.end = Botan::X509_Time(now + end_offset);
  return {Botan::X509::create_self_signed_cert(opts, key, "SHA-256", rng())};
}

std::pair<TestCert, TestCert> make_root_and_intermediate(const std::string& cn) {
  Botan::ECDSA_PrivateKey root_key(rng(), Botan::EC_Group("secp256r1"));
  Botan::X509_Cert_Options ro(cn + " Root/US/smimegw tests");
  ro.CA_key();
  auto root = Botan::X509::create_self_signed_cert(ro, root_key, "SHA-256", rng());
  Botan::ECDSA_PrivateKey key(rng(), Botan::EC_Group("secp256r1"));
  Botan::X509_Cert_Options io(cn + " Intermediate/US/smimegw tests");
  io.CA_key(0);
  auto req = Botan::X509::create_cert_req(io, key, "SHA-256", rng());
  Botan::X509_CA ca(root, root_key, "SHA-256", rng());
  auto now = Clock::now();
  auto inter = ca.sign_request(req, rng(), Botan::X509_Time(now - std::chrono::hours(1)),
                               Botan::X509_Time(now + std::chrono::hours(24 * 100)));
  return {TestCert{root}, TestCert{inter}};
}

Bytes pkcs7_certs_only(const std::vector<Bytes>& certs) {
  Bytes out;
  Botan::DER_Encoder der(out);
  der.start_cons(Botan::SEQUENCE)
      .encode(Botan::OID("1.2.840.113549.1.7.2"))
      .start_cons(Botan::ASN1_Tag(0), Botan::CONTEXT_SPECIFIC)
      .start_cons(Botan::SEQUENCE)
      .encode(static_cast<std::size_t>(1))
      .start_cons(Botan::SET)
      .end_cons()
      .start_cons(Botan::SEQUENCE)
      .encode(Botan::OID("1.2.840.113549.1.7.1"))
      .end_cons()
      .start_cons(Botan::ASN1_Tag(0), Botan::CONTEXT_SPECIFIC);
  for (const auto& c : certs) der.raw_bytes(c);
  der.end_cons().start_cons(Botan::SET).end_cons().end_cons().end_cons().end_cons();
  return out;
}

StoreBuilder& StoreBuilder::element(std::uint32_t prop, const Bytes& value,
                                    std::uint32_t encoding) {
  auto put = [&](std::uint32_t v) {
    for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  };
  put(prop);
  put(encoding);
  put(static_cast<std::uint32_t>(value.size()));
  bytes.insert(bytes.end(), value.begin(), value.end());
  return *this;
}

core::Result<std::int64_t> MemoryAnchorStore::add(const trust::StoredAnchor& a) {
  if (fail_next_add) {
    fail_next_add = false;
    return core::Error::transient("db_unavailable", "database unavailable");
  }
  for (const auto& [id, r] : rows_)
    if (r.sha256 == a.sha256) return core::Error::make("db_duplicate", "record already exists");
  auto row = a;
  row.id = next_id_++;
  row.added_at = Clock::now();
  rows_[row.id] = row;
  ++generation_;
  return row.id;
}

core::Result<std::vector<trust::StoredAnchor>> MemoryAnchorStore::list(bool enabled_only) {
  std::vector<trust::StoredAnchor> out;
  for (const auto& [id, r] : rows_)
    if (!enabled_only || r.enabled) out.push_back(r);
  return out;
}

core::Result<std::optional<trust::StoredAnchor>> MemoryAnchorStore::find(std::int64_t id) {
  auto it = rows_.find(id);
  if (it == rows_.end()) return std::optional<trust::StoredAnchor>();
  return std::optional<trust::StoredAnchor>(it->second);
}

core::Status MemoryAnchorStore::set_enabled(std::int64_t id, bool enabled) {
  auto it = rows_.find(id);
  if (it == rows_.end()) return core::Error::make("not_found", "no such id");
  it->second.enabled = enabled;
  ++generation_;
  return {};
}

core::Status MemoryAnchorStore::remove(std::int64_t id) {
  if (!rows_.erase(id)) return core::Error::make("not_found", "no such id");
  ++generation_;
  return {};
}

}  // namespace smimegw::test
