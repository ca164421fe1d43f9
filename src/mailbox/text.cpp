// mailbox: UTF-8 clean-up, whitespace collapsing and a minimal HTML-to-text for previews.
#include "text.hpp"

#include <cctype>
#include <cstdint>
#include <utility>

namespace smimegw::mailbox::detail {

namespace {
/// Length of the valid UTF-8 sequence at s[i], or 0.
std::size_t utf8_len(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  std::size_t n = 0;
  std::uint32_t cp = 0;
  if (c < 0x80) return 1;
  if ((c & 0xe0) == 0xc0)
    n = 2, cp = c & 0x1f;
  else if ((c & 0xf0) == 0xe0)
    n = 3, cp = c & 0x0f;
  else if ((c & 0xf8) == 0xf0)
    n = 4, cp = c & 0x07;
  else
    return 0;
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    const auto d = static_cast<unsigned char>(s[i + k]);
    if ((d & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (d & 0x3f);
  }
  // overlong forms, surrogates, beyond U+10FFFF
  if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
      (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
    return 0;
  return n;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out.push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

bool istarts(std::string_view s, std::size_t i, std::string_view what) {
  if (i + what.size() > s.size()) return false;
  for (std::size_t k = 0; k < what.size(); ++k)
    if (std::tolower(static_cast<unsigned char>(s[i + k])) != what[k]) return false;
  return true;
}

/// Decodes the entity at html[i] ('&'); returns the characters consumed (0 = not an entity).
std::size_t entity(std::string_view html, std::size_t i, std::string& out) {
  static constexpr std::pair<std::string_view, std::uint32_t> kNamed[] = {
      {"&amp;", '&'},  {"&lt;", '<'},   {"&gt;", '>'},
      {"&quot;", '"'}, {"&#39;", '\''}, {"&nbsp;", ' '}};
  for (const auto& [name, cp] : kNamed)
    if (istarts(html, i, name)) {
      append_utf8(out, cp);
      return name.size();
    }
  if (i + 2 < html.size() && html[i + 1] == '#') {
    std::size_t k = i + 2;
    const bool hex = k < html.size() && (html[k] == 'x' || html[k] == 'X');
    if (hex) ++k;
    std::uint32_t cp = 0;
    const std::size_t start = k;
    while (k < html.size() && k - start < 7 &&
           (hex ? std::isxdigit(static_cast<unsigned char>(html[k]))
                : std::isdigit(static_cast<unsigned char>(html[k])))) {
      cp = cp * (hex ? 16 : 10) +
           static_cast<std::uint32_t>(std::isdigit(static_cast<unsigned char>(html[k]))
                                          ? html[k] - '0'
                                          : std::tolower(static_cast<unsigned char>(html[k])) -
                                                'a' + 10);
      ++k;
    }
    if (k > start && k < html.size() && html[k] == ';' && cp > 0 && cp <= 0x10ffff &&
        !(cp >= 0xd800 && cp <= 0xdfff)) {
      append_utf8(out, cp);
      return k + 1 - i;
    }
  }
  return 0;
}
}  // namespace

std::string clean_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
      ++i;
      continue;
    }
    const std::size_t n = utf8_len(s, i);
    if (n == 0) {
      out += "\xef\xbf\xbd";
      ++i;
      continue;
    }
    out.append(s.substr(i, n));
    i += n;
  }
  return out;
}

std::string utf8_prefix(std::string_view s, std::size_t max_chars) {
  std::size_t i = 0, chars = 0;
  while (i < s.size() && chars < max_chars) {
    const std::size_t n = utf8_len(s, i);
    i += n ? n : 1;
    ++chars;
  }
  return std::string(s.substr(0, i));
}

std::string collapse_space(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::string html_to_text(std::string_view html) {
  std::string out;
  out.reserve(html.size() / 2);
  for (std::size_t i = 0; i < html.size();) {
    if (html[i] == '<') {
      std::string_view close;
      if (istarts(html, i, "<!--"))
        close = "-->";
      else if (istarts(html, i, "<script"))
        close = "</script>";
      else if (istarts(html, i, "<style"))
        close = "</style>";
      else if (istarts(html, i, "<head"))
        close = "</head>";
      if (!close.empty()) {
        std::size_t j = i + 1;
        while (j < html.size() && !istarts(html, j, close)) ++j;
        i = j >= html.size() ? html.size() : j + close.size();
        out.push_back(' ');
        continue;
      }
      const auto end = html.find('>', i);
      if (end == std::string_view::npos) break;
      if (istarts(html, i, "<br") || istarts(html, i, "<p") || istarts(html, i, "</p") ||
          istarts(html, i, "<div") || istarts(html, i, "</div") || istarts(html, i, "<tr") ||
          istarts(html, i, "<li"))
        out.push_back('\n');
      i = end + 1;
      continue;
    }
    if (html[i] == '&') {
      if (const std::size_t n = entity(html, i, out)) {
        i += n;
        continue;
      }
    }
    out.push_back(html[i++]);
  }
  return out;
}

}  // namespace smimegw::mailbox::detail
