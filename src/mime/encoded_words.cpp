// mime: RFC 2047 encoded words. Decoding via GMime (lenient, charset aliases); encoding is ours
// so the output is deterministic: UTF-8 "B" words that never split a character.
#include "smimegw/mime/encoded_words.hpp"

#include "gmime_init.hpp"
#include "smimegw/mime/charset.hpp"
#include "smimegw/mime/transfer_encoding.hpp"

namespace smimegw::mime {

std::string decode_header_text(std::string_view value) {
  if (value.find("=?") == std::string_view::npos) return std::string(value);
  detail::ensure_gmime();
  std::string in(value);
  if (in.find('\0') != std::string::npos) return in;
  char* out = g_mime_utils_header_decode_text(nullptr, in.c_str());
  if (out == nullptr) return in;
  std::string r(out);
  g_free(out);
  return r;
}

std::string encode_header_text(std::string_view utf8) {
  if (is_ascii(utf8)) return std::string(utf8);
  // "=?utf-8?B?" + base64 + "?=" ≤ 75  →  at most 45 input bytes per word.
  constexpr std::size_t kMaxChunk = 45;
  std::string out;
  std::size_t i = 0;
  while (i < utf8.size()) {
    std::size_t n = std::min(kMaxChunk, utf8.size() - i);
    while (n > 0 && i + n < utf8.size() &&
           (static_cast<unsigned char>(utf8[i + n]) & 0xC0) == 0x80)
      --n;  // don't split a UTF-8 sequence
    if (n == 0) n = std::min(kMaxChunk, utf8.size() - i);
    if (!out.empty()) out += "\r\n ";
    out += "=?utf-8?B?" + encode_base64(utf8.substr(i, n), false) + "?=";
    i += n;
  }
  return out;
}

}  // namespace smimegw::mime
