// mailbox: opaque ids and base64url.
#include "smimegw/mailbox/ids.hpp"

#include <array>

namespace smimegw::mailbox {

namespace {
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr char kMessageTag = 0x01;
constexpr char kAttachmentTag = 0x02;

int value_of(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

std::string be_bytes(std::uint64_t v, int n) {
  std::string out(static_cast<std::size_t>(n), '\0');
  for (int i = n - 1; i >= 0; --i, v >>= 8)
    out[static_cast<std::size_t>(i)] = static_cast<char>(v & 0xff);
  return out;
}

std::uint64_t from_be(std::string_view b) {
  std::uint64_t v = 0;
  for (unsigned char c : b) v = (v << 8) | c;
  return v;
}
}  // namespace

std::string base64url(std::string_view in) {
  std::string out;
  out.reserve((in.size() * 4 + 2) / 3);
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const std::uint32_t v = (std::uint32_t(std::uint8_t(in[i])) << 16) |
                            (std::uint32_t(std::uint8_t(in[i + 1])) << 8) | std::uint8_t(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out.push_back(kAlphabet[(v >> s) & 63]);
  }
  const std::size_t rest = in.size() - i;
  if (rest) {
    std::uint32_t v = std::uint32_t(std::uint8_t(in[i])) << 16;
    if (rest == 2) v |= std::uint32_t(std::uint8_t(in[i + 1])) << 8;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    if (rest == 2) out.push_back(kAlphabet[(v >> 6) & 63]);
  }
  return out;
}

std::optional<std::string> unbase64url(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    const int v = value_of(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  // non-canonical trailing bits would give two spellings of one id
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

std::string message_id_string(std::int64_t id) {
  return base64url(std::string(1, kMessageTag) + be_bytes(static_cast<std::uint64_t>(id), 8));
}

std::optional<std::int64_t> parse_message_id(std::string_view s) {
  auto b = unbase64url(s);
  if (!b || b->size() != 9 || (*b)[0] != kMessageTag) return std::nullopt;
  const auto v = from_be(std::string_view(*b).substr(1));
  if (v == 0 || v > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
  return static_cast<std::int64_t>(v);
}

std::string attachment_id_string(std::uint32_t n) {
  return base64url(std::string(1, kAttachmentTag) + be_bytes(n, 4));
}

std::optional<std::uint32_t> parse_attachment_id(std::string_view s) {
  auto b = unbase64url(s);
  if (!b || b->size() != 5 || (*b)[0] != kAttachmentTag) return std::nullopt;
  return static_cast<std::uint32_t>(from_be(std::string_view(*b).substr(1)));
}

}  // namespace smimegw::mailbox
