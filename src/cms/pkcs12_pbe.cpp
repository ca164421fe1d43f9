// cms/pkcs12 (private): password-based decryption (PBES2, PKCS#12 3DES PBEs) and PBES2 encryption.
#include <botan/cipher_mode.h>
#include <botan/exceptn.h>
#include <botan/pwdhash.h>

#include <algorithm>

#include "pkcs12_crypto.hpp"
#include "pkcs12_oids.hpp"

namespace smimegw::cms::pkcs12_detail {
namespace {

constexpr const char* kReexport =
    " is not supported; re-export the file with AES, e.g. `openssl pkcs12 -export ... -keypbe "
    "AES-256-CBC -certpbe AES-256-CBC`";

void check_iterations(std::uint64_t n, const Pkcs12Limits& limits, const char* what,
                      WorkBudget& budget, std::uint64_t runs) {
  if (n == 0) malformed(std::string(what) + " iteration count is zero");
  if (n > limits.max_iterations)
    fail(kLimitExceeded, std::string(what) + " iteration count " + std::to_string(n) +
                             " exceeds the limit " + std::to_string(limits.max_iterations));
  budget.spend(n * runs);
}

SecureBytes cbc_decrypt(const std::string& cipher, ByteView key, ByteView iv, ByteView ciphertext) {
  try {
    auto mode = Botan::Cipher_Mode::create_or_throw(cipher + "/CBC/PKCS7", Botan::DECRYPTION);
    mode->set_key(key.data(), key.size());
    mode->start(iv.data(), iv.size());
    SecureBytes buf(ciphertext.begin(), ciphertext.end());
    mode->finish(buf);
    return buf;
  } catch (const Failure&) {
    throw;
  } catch (const std::exception&) {
    fail(kDecryptFailed, "decryption failed (wrong password or corrupted data)");
  }
}

std::string prf_hash(const std::string& oid) {
  if (oid == oid::kHmacSha1) return "SHA-1";
  if (oid == oid::kHmacSha224) return "SHA-224";
  if (oid == oid::kHmacSha256) return "SHA-256";
  if (oid == oid::kHmacSha384) return "SHA-384";
  if (oid == oid::kHmacSha512) return "SHA-512";
  fail(kUnsupported, "PBKDF2 PRF " + oid + " is not supported");
}

SecureBytes pbes2_decrypt(const Tlv& params, ByteView ciphertext, const Password& pw,
                          const Pkcs12Limits& limits, WorkBudget& budget) {
  Reader top(params.content, params.depth + 1, limits.max_depth);
  Tlv kdf = top.expect(tag::kSequence, "PBES2 key derivation function");
  Tlv enc = top.expect(tag::kSequence, "PBES2 encryption scheme");

  Reader kr(kdf.content, kdf.depth + 1, limits.max_depth);
  const std::string kdf_oid = oid_string(kr.expect(tag::kOid, "PBES2 KDF OID"));
  if (kdf_oid != oid::kPbkdf2)
    fail(kUnsupported, "PBES2 key derivation " + kdf_oid + " is not supported (only PBKDF2)");
  Tlv kp = kr.expect(tag::kSequence, "PBKDF2 parameters");
  Reader pr(kp.content, kp.depth + 1, limits.max_depth);
  if (pr.peek_is(tag::kSequence)) fail(kUnsupported, "PBKDF2 salt source other than specified");
  const Bytes salt = pr.expect_octets("PBKDF2 salt");
  const std::uint64_t iterations =
      integer_value(pr.expect(tag::kInteger, "PBKDF2 iterations"), "PBKDF2 iterations");
  check_iterations(iterations, limits, "PBKDF2", budget, 1);
  std::uint64_t key_len_param = 0;
  if (pr.peek_is(tag::kInteger))
    key_len_param = integer_value(pr.next("PBKDF2 key length"), "PBKDF2 key length");
  std::string hash = "SHA-1";
  if (pr.peek_is(tag::kSequence)) {
    Tlv prf = pr.next("PBKDF2 PRF");
    Reader prr(prf.content, prf.depth + 1, limits.max_depth);
    hash = prf_hash(oid_string(prr.expect(tag::kOid, "PBKDF2 PRF OID")));
  }
  pr.expect_end("PBKDF2 parameters");

  Reader er(enc.content, enc.depth + 1, limits.max_depth);
  const std::string enc_oid = oid_string(er.expect(tag::kOid, "PBES2 cipher OID"));
  std::string cipher;
  std::size_t key_len = 0;
  if (enc_oid == oid::kAes128Cbc) {
    cipher = "AES-128";
    key_len = 16;
  } else if (enc_oid == oid::kAes192Cbc) {
    cipher = "AES-192";
    key_len = 24;
  } else if (enc_oid == oid::kAes256Cbc) {
    cipher = "AES-256";
    key_len = 32;
  } else if (enc_oid == oid::kDesEde3Cbc) {
    cipher = "TripleDES";
    key_len = 24;
  } else if (enc_oid == oid::kRc2Cbc)
    fail(kUnsupported, std::string("PBES2 with RC2-CBC") + kReexport);
  else
    fail(kUnsupported, "PBES2 cipher " + enc_oid + " is not supported");
  if (key_len_param != 0 && key_len_param != key_len)
    malformed("PBKDF2 key length does not fit the cipher");
  const Bytes iv = er.expect_octets("PBES2 IV");
  if (iv.size() != (cipher == "TripleDES" ? 8u : 16u)) malformed("PBES2 IV has the wrong size");

  SecureBytes key(key_len);
  try {
    auto family = Botan::PasswordHashFamily::create_or_throw("PBKDF2(HMAC(" + hash + "))");
    family->from_params(iterations)
        ->derive_key(key.data(), key.size(), pw.utf8.data(), pw.utf8.size(), salt.data(),
                     salt.size());
  } catch (const std::exception&) {
    fail(kUnsupported, "PBKDF2 with " + hash + " is not available");
  }
  return cbc_decrypt(cipher, key, iv, ciphertext);
}

SecureBytes pkcs12_pbe_decrypt(const std::string& alg, const Tlv& params, ByteView ciphertext,
                               const Password& pw, const Pkcs12Limits& limits, WorkBudget& budget) {
  std::size_t key_len = 0;
  if (alg == oid::kPbeSha3Des3)
    key_len = 24;
  else if (alg == oid::kPbeSha3Des2)
    key_len = 16;
  else if (alg == oid::kPbeShaRc2_40)
    fail(kUnsupported, std::string("pbeWithSHAAnd40BitRC2-CBC (RC2-40)") + kReexport);
  else if (alg == oid::kPbeShaRc2_128)
    fail(kUnsupported, std::string("pbeWithSHAAnd128BitRC2-CBC (RC2-128)") + kReexport);
  else if (alg == oid::kPbeShaRc4_128 || alg == oid::kPbeShaRc4_40)
    fail(kUnsupported, std::string("PKCS#12 PBE with RC4") + kReexport);
  else
    fail(kUnsupported, "PKCS#12 PBE " + alg + " is not supported");
  if (params.id != tag::kSequence) malformed("bad PKCS#12 PBE parameters");
  Reader r(params.content, params.depth + 1, limits.max_depth);
  const Bytes salt = r.expect_octets("PBE salt");
  const std::uint64_t iterations =
      integer_value(r.expect(tag::kInteger, "PBE iterations"), "PBE iterations");
  r.expect_end("PBE parameters");
  check_iterations(iterations, limits, "PKCS#12 PBE", budget, 2);
  SecureBytes key = pkcs12_kdf("SHA-1", 1, pw.bmp, salt, iterations, key_len);
  if (key_len == 16) {  // two-key 3DES: K1 K2 K1
    key.resize(24);
    std::copy(key.begin(), key.begin() + 8, key.begin() + 16);
  }
  const SecureBytes iv = pkcs12_kdf("SHA-1", 2, pw.bmp, salt, iterations, 8);
  return cbc_decrypt("TripleDES", key, iv, ciphertext);
}

}  // namespace

SecureBytes pbe_decrypt(const Tlv& alg_id, ByteView ciphertext, const Password& pw,
                        const Pkcs12Limits& limits, WorkBudget& budget) {
  if (alg_id.id != tag::kSequence) malformed("bad encryption AlgorithmIdentifier");
  Reader r(alg_id.content, alg_id.depth + 1, limits.max_depth);
  const std::string alg = oid_string(r.expect(tag::kOid, "encryption algorithm"));
  if (alg == oid::kPbes2) {
    Tlv params = r.expect(tag::kSequence, "PBES2 parameters");
    return pbes2_decrypt(params, ciphertext, pw, limits, budget);
  }
  if (alg.rfind(oid::kPkcs12PbePrefix, 0) == 0) {
    Tlv params = r.next("PBE parameters");
    return pkcs12_pbe_decrypt(alg, params, ciphertext, pw, limits, budget);
  }
  if (alg.rfind(oid::kPbes1Prefix, 0) == 0)
    fail(kUnsupported, "PBES1 encryption " + alg + kReexport);
  fail(kUnsupported, "encryption algorithm " + alg + " is not supported");
}

Bytes pbes2_encrypt(ByteView plaintext, std::string_view password, std::uint32_t iterations,
                    Botan::RandomNumberGenerator& rng, Bytes& alg_id) {
  Bytes salt(16), iv(16);
  SecureBytes key(32);
  rng.randomize(salt.data(), salt.size());
  rng.randomize(iv.data(), iv.size());
  auto family = Botan::PasswordHashFamily::create_or_throw("PBKDF2(HMAC(SHA-256))");
  family->from_params(iterations)
      ->derive_key(key.data(), key.size(), password.data(), password.size(), salt.data(),
                   salt.size());
  auto mode = Botan::Cipher_Mode::create_or_throw("AES-256/CBC/PKCS7", Botan::ENCRYPTION);
  mode->set_key(key.data(), key.size());
  mode->start(iv.data(), iv.size());
  Botan::secure_vector<std::uint8_t> buf(plaintext.begin(), plaintext.end());
  mode->finish(buf);

  const Bytes null = der(tag::kNull, {});
  const Bytes prf = der_seq({view(der_oid(oid::kHmacSha256)), view(null)});
  const Bytes kdf_params = der_seq({view(der_octets(salt)), view(der_uint(iterations)), view(prf)});
  const Bytes kdf = der_seq({view(der_oid(oid::kPbkdf2)), view(kdf_params)});
  const Bytes enc = der_seq({view(der_oid(oid::kAes256Cbc)), view(der_octets(iv))});
  const Bytes params = der_seq({view(kdf), view(enc)});
  alg_id = der_seq({view(der_oid(oid::kPbes2)), view(params)});
  return Bytes(buf.begin(), buf.end());
}

}  // namespace smimegw::cms::pkcs12_detail
