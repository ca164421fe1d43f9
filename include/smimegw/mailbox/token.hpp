// mailbox: delta tokens — opaque, tamper-evident sync positions bound to one mailbox and folder.
//
// A token is base64url(version | kind | cursor | issued_at | tag) with tag = the first 16 bytes of
// HMAC-SHA-256(key, "smimegw-delta-v1" | payload | mailbox | folder). The key is derived from the
// key-encryption key with HKDF-SHA-256 (derive_token_key), so every instance sharing the database
// and the KEK accepts the others' tokens and no new secret has to be provisioned. A token that does
// not decode, whose tag does not verify (tampered, another mailbox or folder, another key) or whose
// version is unknown is `resync_required` — Graph's resyncRequired: the client starts over without
// a token. Expiry is checked by the Service (it owns the clock and the configured maximum age).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "smimegw/core/result.hpp"

namespace smimegw::mailbox {

enum class TokenKind : std::uint8_t {
  Next = 1,   ///< @odata.nextLink: the round continues
  Delta = 2,  ///< @odata.deltaLink: the round is complete; the next call starts a new one
};

struct SyncPosition {
  TokenKind kind = TokenKind::Delta;
  std::int64_t cursor = 0;     ///< the last feed seq the client has been given
  std::int64_t issued_at = 0;  ///< Unix seconds
};

class TokenCodec {
 public:
  /// `key` must hold at least 32 bytes (std::invalid_argument otherwise: a start-up bug).
  explicit TokenCodec(std::vector<std::uint8_t> key);
  std::string encode(std::string_view mailbox, std::string_view folder,
                     const SyncPosition& pos) const;
  /// The position in `token`, or resync_required (see the header comment).
  core::Result<SyncPosition> decode(std::string_view token, std::string_view mailbox,
                                    std::string_view folder) const;

 private:
  std::vector<std::uint8_t> tag(std::string_view payload, std::string_view mailbox,
                                std::string_view folder) const;
  std::vector<std::uint8_t> key_;
};

/// HKDF-SHA-256(ikm = `kek`, salt = "smimegw", info = "mailbox delta token v1") → 32 bytes.
std::vector<std::uint8_t> derive_token_key(std::span<const std::uint8_t> kek);

}  // namespace smimegw::mailbox
