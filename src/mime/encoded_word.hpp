// mime (private): one RFC 2047 encoded word, and the GMime workaround for runs of them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "smimegw/mime/transfer_encoding.hpp"

namespace smimegw::mime::detail {

struct EncodedWord {
  std::string charset;
  std::string bytes;
  std::size_t end;
};

inline int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Parses "=?charset?B|Q?text?=" at `pos`.
inline std::optional<EncodedWord> parse_word(std::string_view v, std::size_t pos) {
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

/// Replaces each run of two or more whitespace-separated encoded words (outside <...>) with one
/// UTF-8 word holding our decoding of the run, so GMime's address parser cannot lose text.
std::string merge_word_runs(std::string_view value);

}  // namespace smimegw::mime::detail
