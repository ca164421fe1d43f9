// cms/pkcs12 (private): RFC 7292 appendix B.2 key derivation and password forms.
//
// Botan 2.19 has no PKCS#12 KDF. For hash H with output u and block v bytes: D = v copies of id;
// I = S || P, salt and password each repeated to a multiple of v; for each u-byte output block
// A = H^r(D || I), then every v-byte block of I becomes I_j + (A repeated to v) + 1 mod 2^(8v).
#include <botan/hash.h>

#include "pkcs12_crypto.hpp"

namespace smimegw::cms::pkcs12_detail {

std::vector<Password> password_variants(std::string_view utf8) {
  Password with_nul{std::string(utf8), utf8_to_utf16be(utf8)};
  with_nul.bmp.push_back(0);
  with_nul.bmp.push_back(0);
  if (!utf8.empty()) return {with_nul};
  return {Password{std::string(), Bytes()}, with_nul};
}

SecureBytes pkcs12_kdf(std::string_view botan_hash, std::uint8_t id, ByteView password_bmp,
                       ByteView salt, std::uint64_t iterations, std::size_t n) {
  auto hash = Botan::HashFunction::create_or_throw(std::string(botan_hash));
  const std::size_t u = hash->output_length();
  const std::size_t v = hash->hash_block_size();
  if (iterations == 0) iterations = 1;

  auto repeat_to_block = [v](ByteView in) {
    SecureBytes out;
    if (in.empty()) return out;
    const std::size_t len = v * ((in.size() + v - 1) / v);
    out.resize(len);
    for (std::size_t i = 0; i < len; ++i) out[i] = in[i % in.size()];
    return out;
  };
  SecureBytes i_buf = repeat_to_block(salt);
  const SecureBytes p = repeat_to_block(password_bmp);
  i_buf.insert(i_buf.end(), p.begin(), p.end());
  const Bytes d(v, id);

  SecureBytes out;
  SecureBytes a(u);
  SecureBytes b(v);
  while (out.size() < n) {
    hash->update(d.data(), d.size());
    hash->update(i_buf.data(), i_buf.size());
    hash->final(a.data());
    for (std::uint64_t r = 1; r < iterations; ++r) {
      hash->update(a.data(), a.size());
      hash->final(a.data());
    }
    out.insert(out.end(), a.begin(), a.begin() + std::min(u, n - out.size()));
    if (out.size() >= n) break;
    for (std::size_t k = 0; k < v; ++k) b[k] = a[k % u];
    for (std::size_t j = 0; j < i_buf.size(); j += v) {
      unsigned carry = 1;
      for (std::size_t k = v; k-- > 0;) {
        carry += i_buf[j + k] + b[k];
        i_buf[j + k] = static_cast<std::uint8_t>(carry);
        carry >>= 8;
      }
    }
  }
  return out;
}

}  // namespace smimegw::cms::pkcs12_detail
