// mailbox: delta token codec (HMAC-SHA-256, truncated to 128 bits) and the HKDF key derivation.
#include "smimegw/mailbox/token.hpp"

#include <botan/kdf.h>
#include <botan/mac.h>
#include <botan/mem_ops.h>

#include <stdexcept>

#include "smimegw/mailbox/ids.hpp"

namespace smimegw::mailbox {

namespace {
constexpr std::uint8_t kVersion = 1;
constexpr std::size_t kPayload = 1 + 1 + 8 + 8;
constexpr std::size_t kTag = 16;
constexpr std::string_view kContext = "smimegw-delta-v1";

void put64(std::string& out, std::int64_t v) {
  for (int s = 56; s >= 0; s -= 8)
    out.push_back(static_cast<char>((static_cast<std::uint64_t>(v) >> s) & 0xff));
}

std::int64_t get64(std::string_view b) {
  std::uint64_t v = 0;
  for (unsigned char c : b.substr(0, 8)) v = (v << 8) | c;
  return static_cast<std::int64_t>(v);
}

core::Error resync(std::string why) {
  return core::Error::make("resync_required", "the sync state is not valid (" + why +
                                                  "); start a new sync without a token");
}
}  // namespace

TokenCodec::TokenCodec(std::vector<std::uint8_t> key) : key_(std::move(key)) {
  if (key_.size() < 32) throw std::invalid_argument("delta token key shorter than 32 bytes");
}

std::vector<std::uint8_t> TokenCodec::tag(std::string_view payload, std::string_view mailbox,
                                          std::string_view folder) const {
  auto mac = Botan::MessageAuthenticationCode::create_or_throw("HMAC(SHA-256)");
  mac->set_key(key_);
  auto feed = [&](std::string_view s) {
    // length-prefixed, so ("ab","c") and ("a","bc") never collide
    const std::uint32_t n = static_cast<std::uint32_t>(s.size());
    const std::uint8_t len[4] = {std::uint8_t(n >> 24), std::uint8_t(n >> 16), std::uint8_t(n >> 8),
                                 std::uint8_t(n)};
    mac->update(len, 4);
    mac->update(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
  };
  feed(kContext);
  feed(payload);
  feed(mailbox);
  feed(folder);
  auto full = mac->final();
  return std::vector<std::uint8_t>(full.begin(), full.begin() + kTag);
}

std::string TokenCodec::encode(std::string_view mailbox, std::string_view folder,
                               const SyncPosition& pos) const {
  std::string payload;
  payload.push_back(static_cast<char>(kVersion));
  payload.push_back(static_cast<char>(pos.kind));
  put64(payload, pos.cursor);
  put64(payload, pos.issued_at);
  const auto t = tag(payload, mailbox, folder);
  payload.append(reinterpret_cast<const char*>(t.data()), t.size());
  return base64url(payload);
}

core::Result<SyncPosition> TokenCodec::decode(std::string_view token, std::string_view mailbox,
                                              std::string_view folder) const {
  if (token.size() > 128) return resync("malformed token");
  auto raw = unbase64url(token);
  if (!raw || raw->size() != kPayload + kTag) return resync("malformed token");
  const std::string_view all(*raw);
  const auto payload = all.substr(0, kPayload);
  const auto expected = tag(payload, mailbox, folder);
  if (!Botan::constant_time_compare(
          expected.data(), reinterpret_cast<const std::uint8_t*>(all.data() + kPayload), kTag))
    return resync("token does not belong to this mailbox and folder");
  if (static_cast<std::uint8_t>(payload[0]) != kVersion) return resync("unknown token version");
  SyncPosition pos;
  const auto kind = static_cast<std::uint8_t>(payload[1]);
  if (kind != static_cast<std::uint8_t>(TokenKind::Next) &&
      kind != static_cast<std::uint8_t>(TokenKind::Delta))
    return resync("unknown token kind");
  pos.kind = static_cast<TokenKind>(kind);
  pos.cursor = get64(payload.substr(2));
  pos.issued_at = get64(payload.substr(10));
  if (pos.cursor < 0) return resync("malformed token");
  return pos;
}

std::vector<std::uint8_t> derive_token_key(std::span<const std::uint8_t> kek) {
  auto kdf = Botan::KDF::create_or_throw("HKDF(SHA-256)");
  constexpr std::string_view salt = "smimegw";
  constexpr std::string_view info = "mailbox delta token v1";
  auto k = kdf->derive_key(32, kek.data(), kek.size(),
                           reinterpret_cast<const std::uint8_t*>(salt.data()), salt.size(),
                           reinterpret_cast<const std::uint8_t*>(info.data()), info.size());
  return std::vector<std::uint8_t>(k.begin(), k.end());
}

}  // namespace smimegw::mailbox
