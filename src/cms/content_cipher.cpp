// cms (private): content encryption (content_cipher.hpp).
#include "content_cipher.hpp"

#include <botan/aead.h>
#include <botan/cipher_mode.h>

#include <stdexcept>

#include "common.hpp"

namespace smimegw::cms::detail {

namespace {

constexpr std::size_t kGcmNonce = 12;
constexpr std::size_t kGcmTag = 16;

/// Runs the mode over `buf` in place: whole blocks through process(), the rest through finish().
void run_in_place(Botan::Cipher_Mode& mode, std::vector<std::uint8_t>& buf, std::size_t keep_tail,
                  std::span<const std::uint8_t> extra_final) {
  const std::size_t g = mode.update_granularity();
  std::size_t body = buf.size() > keep_tail ? buf.size() - keep_tail : 0;
  body -= body % g;
  if (body) mode.process(buf.data(), body);
  Botan::secure_vector<std::uint8_t> tail(buf.begin() + static_cast<long>(body), buf.end());
  tail.insert(tail.end(), extra_final.begin(), extra_final.end());
  mode.finish(tail);
  buf.resize(body);
  buf.insert(buf.end(), tail.begin(), tail.end());
}

}  // namespace

core::Result<ContentEncryption> ContentEncryption::start(
    ContentCipher c, const Botan::secure_vector<std::uint8_t>& cek,
    Botan::RandomNumberGenerator& rng, std::span<const std::uint8_t> aad) {
  if (c == ContentCipher::des3_cbc) return err(errc::kUnsupportedAlgorithm, "3DES is decrypt-only");
  ContentEncryption e;
  e.gcm_ = is_aead(c);
  const std::string name = std::string(botan_name(c)) + (e.gcm_ ? "" : "/PKCS7");
  e.mode_ = Botan::Cipher_Mode::create_or_throw(name, Botan::ENCRYPTION);
  e.mode_->set_key(cek);
  if (e.gcm_) dynamic_cast<Botan::AEAD_Mode&>(*e.mode_).set_associated_data(aad.data(), aad.size());
  const auto iv = rng.random_vec(e.gcm_ ? kGcmNonce : 16);
  e.mode_->start(iv);
  if (e.gcm_) {
    std::vector<der::Node> p;
    p.push_back(der::octet_string(std::vector<std::uint8_t>(iv.begin(), iv.end())));
    p.push_back(der::integer(kGcmTag));
    e.alg_id_ = der::alg(oid_of(c), der::Node::cons(der::kSequence, std::move(p))).encode();
  } else {
    e.alg_id_ =
        der::alg(oid_of(c), der::octet_string(std::vector<std::uint8_t>(iv.begin(), iv.end())))
            .encode();
  }
  return e;
}

ContentEncryption::ContentEncryption(ContentEncryption&&) noexcept = default;
ContentEncryption::~ContentEncryption() = default;

std::size_t ContentEncryption::ciphertext_size(std::size_t n) const {
  return gcm_ ? n : (n / 16 + 1) * 16;
}

std::size_t ContentEncryption::tag_size() const {
  return gcm_ ? kGcmTag : 0;
}

void ContentEncryption::run(std::span<std::uint8_t> buf, std::size_t n,
                            std::span<std::uint8_t> tag) {
  const std::size_t g = mode_->update_granularity();
  const std::size_t body = n - n % g;
  if (body) mode_->process(buf.data(), body);
  Botan::secure_vector<std::uint8_t> tail(buf.begin() + static_cast<long>(body),
                                          buf.begin() + static_cast<long>(n));
  mode_->finish(tail);  // CBC: + PKCS#7 padding; GCM: + tag
  const std::size_t ct_tail = tail.size() - tag_size();
  if (body + ct_tail != buf.size() || tag.size() != tag_size())
    throw std::logic_error("content encryption: output size mismatch");
  std::copy(tail.begin(), tail.begin() + static_cast<long>(ct_tail),
            buf.begin() + static_cast<long>(body));
  std::copy(tail.begin() + static_cast<long>(ct_tail), tail.end(), tag.begin());
}

core::Status decrypt_content(ContentCipher c, const ber::AlgId& alg,
                             const Botan::secure_vector<std::uint8_t>& cek,
                             std::vector<std::uint8_t>& data, std::span<const std::uint8_t> aad,
                             std::span<const std::uint8_t> tag) {
  const bool gcm = is_aead(c);
  std::vector<std::uint8_t> iv;
  std::size_t tag_len = 12;  // RFC 5084 DEFAULT
  if (!alg.params) return err(errc::kMalformed, "content cipher without parameters");
  if (gcm) {
    if (!alg.params->is_universal(ber::kSequence))
      return err(errc::kMalformed, "bad GCMParameters");
    ber::Reader r(alg.params->content);
    auto n = r.expect(ber::kUniversal, ber::kOctetString, "GCM nonce");
    if (!n) return n.error();
    auto nv = ber::octets_copy(*n);
    if (!nv) return nv.error();
    iv = std::move(*nv);
    if (!r.at_end()) {
      auto l = r.next();
      if (!l) return l.error();
      auto lv = ber::small_int(*l);
      if (!lv || *lv < 12 || *lv > 16) return err(errc::kMalformed, "bad GCM ICV length");
      tag_len = static_cast<std::size_t>(*lv);
    }
    if (iv.empty() || iv.size() > 64) return err(errc::kMalformed, "bad GCM nonce length");
    if (tag.size() != tag_len)
      return err(errc::kMalformed, "GCM tag length differs from the parameters");
  } else {
    if (!alg.params->is_universal(ber::kOctetString)) return err(errc::kMalformed, "bad CBC IV");
    auto v = ber::octets_copy(*alg.params);
    if (!v) return v.error();
    iv = std::move(*v);
    const std::size_t bs = c == ContentCipher::des3_cbc ? 8 : 16;
    if (iv.size() != bs) return err(errc::kMalformed, "bad CBC IV length");
    if (data.empty() || data.size() % bs != 0)
      return err(errc::kDecryptFailed, "ciphertext is not a whole number of blocks");
  }
  if (cek.size() != key_length(c))
    return err(errc::kDecryptFailed, "content key has the wrong length");
  try {
    const std::string name =
        std::string(botan_name(c)) + (gcm ? "(" + std::to_string(tag_len) + ")" : "/PKCS7");
    auto mode = Botan::Cipher_Mode::create_or_throw(name, Botan::DECRYPTION);
    mode->set_key(cek);
    if (gcm) dynamic_cast<Botan::AEAD_Mode&>(*mode).set_associated_data(aad.data(), aad.size());
    mode->start(iv);
    run_in_place(*mode, data, gcm ? 0 : mode->minimum_final_size() + 16, tag);
  } catch (const Botan::Invalid_Authentication_Tag&) {
    data.clear();
    return err(errc::kBadTag, "AES-GCM authentication tag mismatch");
  } catch (const std::exception&) {
    data.clear();
    return err(errc::kDecryptFailed, "content decryption failed");
  }
  return {};
}

}  // namespace smimegw::cms::detail
