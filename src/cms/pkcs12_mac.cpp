// cms/pkcs12 (private): MacData (RFC 7292 section 4): HMAC over the authSafe content octets, with
// the key from the appendix B KDF (ID 3, as long as the hash output).
#include <botan/mac.h>
#include <botan/mem_ops.h>

#include "pkcs12_crypto.hpp"
#include "pkcs12_oids.hpp"

namespace smimegw::cms::pkcs12_detail {
namespace {
std::string mac_hash(const std::string& oid) {
  if (oid == oid::kSha1) return "SHA-1";
  if (oid == oid::kSha224) return "SHA-224";
  if (oid == oid::kSha256) return "SHA-256";
  if (oid == oid::kSha384) return "SHA-384";
  if (oid == oid::kSha512) return "SHA-512";
  if (oid == oid::kPbmac1) fail(kUnsupported, "PBMAC1 (RFC 9579) integrity is not supported");
  fail(kUnsupported, "MAC digest algorithm " + oid + " is not supported");
}
}  // namespace

MacData parse_mac_data(const Tlv& mac_data, const Pkcs12Limits& limits) {
  if (mac_data.id != tag::kSequence) malformed("bad MacData");
  Reader r(mac_data.content, mac_data.depth + 1, limits.max_depth);
  Tlv digest_info = r.expect(tag::kSequence, "MAC DigestInfo");
  MacData m;
  {
    Reader dr(digest_info.content, digest_info.depth + 1, limits.max_depth);
    Tlv alg = dr.expect(tag::kSequence, "MAC digest algorithm");
    Reader ar(alg.content, alg.depth + 1, limits.max_depth);
    m.hash = mac_hash(oid_string(ar.expect(tag::kOid, "MAC digest OID")));
    if (!ar.empty()) ar.expect(tag::kNull, "MAC digest parameters");
    ar.expect_end("MAC digest algorithm");
    m.digest = dr.expect_octets("MAC digest");
    dr.expect_end("MAC DigestInfo");
  }
  m.salt = r.expect_octets("MAC salt");
  if (!r.empty())
    m.iterations = integer_value(r.expect(tag::kInteger, "MAC iterations"), "MAC iterations");
  r.expect_end("MacData");
  if (m.iterations == 0) malformed("MAC iteration count is zero");
  if (m.iterations > limits.max_iterations)
    fail(kLimitExceeded, "MAC iteration count " + std::to_string(m.iterations) +
                             " exceeds the limit " + std::to_string(limits.max_iterations));
  return m;
}

Bytes compute_mac(const MacData& params, ByteView password_bmp, ByteView auth_safe) {
  auto hmac = Botan::MessageAuthenticationCode::create_or_throw("HMAC(" + params.hash + ")");
  const SecureBytes key = pkcs12_kdf(params.hash, 3, password_bmp, params.salt, params.iterations,
                                     hmac->output_length());
  hmac->set_key(key.data(), key.size());
  hmac->update(auth_safe.data(), auth_safe.size());
  const auto tag = hmac->final();
  return Bytes(tag.begin(), tag.end());
}

bool mac_matches(const MacData& params, ByteView password_bmp, ByteView auth_safe) {
  const Bytes mac = compute_mac(params, password_bmp, auth_safe);
  return mac.size() == params.digest.size() &&
         Botan::constant_time_compare(mac.data(), params.digest.data(), mac.size());
}

}  // namespace smimegw::cms::pkcs12_detail
