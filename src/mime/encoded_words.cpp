// mime: RFC 2047 encoded words. Both directions are ours: GMime 3.2's decoder merges the base64
// of adjacent words and loses text after a padded word ("=?utf-8?B?w6Q=?= =?utf-8?B?w6Q=?="
// gives one "ä"), which Outlook-style headers hit. Encoding emits UTF-8 "B" words that never
// split a character.
#include "smimegw/mime/encoded_words.hpp"

#include <optional>

#include "smimegw/mime/charset.hpp"
#include "smimegw/mime/transfer_encoding.hpp"

namespace smimegw::mime {
namespace {

struct EncodedWord {
  std::string charset;
  std::string bytes;
  std::size_t end;
};

int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Parses "=?charset?B|Q?text?=" at `pos`.
std::optional<EncodedWord> parse_word(std::string_view v, std::size_t pos) {
  std::size_t q1 = v.find('?', pos + 2);
  if (q1 == std::string_view::npos || q1 + 2 >= v.size() || v[q1 + 2] != '?') return std::nullopt;
  char enc = v[q1 + 1];
  std::size_t close = v.find("?=", q1 + 3);
  if (close == std::string_view::npos) return std::nullopt;
  std::string_view cs = v.substr(pos + 2, q1 - pos - 2);
  std::string_view text = v.substr(q1 + 3, close - q1 - 3);
  if (cs.empty() || text.find_first_of(" \t\r\n") != std::string_view::npos) return std::nullopt;
  if (std::size_t star = cs.find('*'); star != std::string_view::npos) cs = cs.substr(0, star);
  EncodedWord w{std::string(cs), {}, close + 2};
  if (enc == 'B' || enc == 'b') {
    auto d = decode_base64(text);
    if (!d) return std::nullopt;
    w.bytes = std::move(*d);
  } else if (enc == 'Q' || enc == 'q') {
    for (std::size_t i = 0; i < text.size(); ++i) {
      int h, l;
      if (text[i] == '_') {
        w.bytes.push_back(' ');
      } else if (text[i] == '=' && i + 2 < text.size() && (h = hexval(text[i + 1])) >= 0 &&
                 (l = hexval(text[i + 2])) >= 0) {
        w.bytes.push_back(static_cast<char>(h * 16 + l));
        i += 2;
      } else {
        w.bytes.push_back(text[i]);
      }
    }
  } else {
    return std::nullopt;
  }
  return w;
}

}  // namespace

std::string decode_header_text(std::string_view value) {
  if (value.find("=?") == std::string_view::npos) return std::string(value);
  std::string out, pending, pending_cs;  // pending: bytes of adjacent words in one charset
  auto flush = [&] {
    if (pending.empty()) return;
    auto u = to_utf8(pending, pending_cs);
    out += u ? *u : pending;
    pending.clear();
  };
  bool last_word = false;
  std::size_t text_begin = 0, i = 0;
  while (i < value.size()) {
    std::optional<EncodedWord> w;
    if (value.compare(i, 2, "=?") == 0) w = parse_word(value, i);
    if (!w) {
      ++i;
      continue;
    }
    std::string_view gap = value.substr(text_begin, i - text_begin);
    bool ws = gap.find_first_not_of(" \t\r\n") == std::string_view::npos;
    if (last_word && ws) {  // whitespace between encoded words is dropped (RFC 2047 §6.2)
      if (w->charset != pending_cs) flush();
    } else {
      flush();
      out.append(gap);
    }
    pending_cs = w->charset;
    pending += w->bytes;
    last_word = true;
    i = text_begin = w->end;
  }
  flush();
  out.append(value.substr(text_begin));
  return out;
}

std::string encode_header_text(std::string_view utf8, std::size_t first_line_used) {
  if (is_ascii(utf8)) return std::string(utf8);
  // "=?utf-8?B?" + base64 + "?=" ≤ 75  →  at most 45 input bytes per word (the continuation
  // lines start with one space, so 1 + 75 ≤ 78).
  constexpr std::size_t kMaxChunk = 45;
  std::size_t first_room = first_line_used + 12 + 8 <= 78 ? (78 - first_line_used - 12) / 4 * 3 : 6;
  std::string out;
  std::size_t i = 0;
  while (i < utf8.size()) {
    std::size_t max = i == 0 ? std::min(kMaxChunk, first_room) : kMaxChunk;
    std::size_t n = std::min(max, utf8.size() - i);
    while (n > 0 && i + n < utf8.size() &&
           (static_cast<unsigned char>(utf8[i + n]) & 0xC0) == 0x80)
      --n;  // don't split a UTF-8 sequence
    if (n == 0) n = std::min<std::size_t>(4, utf8.size() - i);
    if (!out.empty()) out += "\r\n ";
    out += "=?utf-8?B?" + encode_base64(utf8.substr(i, n), false) + "?=";
    i += n;
  }
  return out;
}

}  // namespace smimegw::mime
