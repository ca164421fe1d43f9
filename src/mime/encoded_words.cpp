// mime: RFC 2047 encoded words. Both directions are ours: GMime 3.2's decoder merges the base64
// of adjacent words and loses text after a padded word ("=?utf-8?B?w6Q=?= =?utf-8?B?w6Q=?="
// gives one "ä"), which Outlook-style headers hit. Encoding emits UTF-8 "B" words that never
// split a character.
#include "smimegw/mime/encoded_words.hpp"

#include <optional>

#include "encoded_word.hpp"
#include "smimegw/mime/charset.hpp"
#include "smimegw/mime/transfer_encoding.hpp"

namespace smimegw::mime {

using detail::EncodedWord;
using detail::parse_word;

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

std::string detail::merge_word_runs(std::string_view value) {
  if (value.find("=?") == std::string_view::npos) return std::string(value);
  std::string out;
  std::size_t i = 0, copied = 0;
  bool in_angle = false;
  while (i < value.size()) {
    char c = value[i];
    if (c == '<') in_angle = true;
    if (c == '>') in_angle = false;
    std::optional<EncodedWord> w;
    if (!in_angle && value.compare(i, 2, "=?") == 0) w = parse_word(value, i);
    if (!w) {
      ++i;
      continue;
    }
    std::size_t run_end = w->end, words = 1;
    for (;;) {  // extend over whitespace-separated words
      std::size_t k = run_end;
      while (k < value.size() && (value[k] == ' ' || value[k] == '\t')) ++k;
      if (k == run_end || value.compare(k, 2, "=?") != 0) break;
      auto next = parse_word(value, k);
      if (!next) break;
      run_end = next->end;
      ++words;
    }
    if (words > 1) {
      out.append(value.substr(copied, i - copied));
      out += "=?utf-8?B?" + encode_base64(decode_header_text(value.substr(i, run_end - i)), false) +
             "?=";
      copied = run_end;
    }
    i = run_end;
  }
  out.append(value.substr(copied));
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
    while (n > 0 && i + n < utf8.size() && (static_cast<unsigned char>(utf8[i + n]) & 0xC0) == 0x80)
      --n;  // don't split a UTF-8 sequence
    if (n == 0) n = std::min<std::size_t>(4, utf8.size() - i);
    if (!out.empty()) out += "\r\n ";
    out += "=?utf-8?B?" + encode_base64(utf8.substr(i, n), false) + "?=";
    i += n;
  }
  return out;
}

}  // namespace smimegw::mime
