// mime: Content-Type / Content-Disposition parsing and serialisation (RFC 2045 §5.1, RFC 2183,
// RFC 2231 continuations and charset'lang'%XX values).
#include "smimegw/mime/content_type.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "smimegw/mime/charset.hpp"
#include "smimegw/mime/encoded_words.hpp"
#include "smimegw/mime/header_field.hpp"

namespace smimegw::mime {
namespace {

bool is_tspecial(char c) {
  return std::string_view("()<>@,;:\\\"/[]?=").find(c) != std::string_view::npos;
}
bool is_token_char(char c) {
  return c > 32 && c < 127 && !is_tspecial(c);
}

std::string lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

void skip_cfws(std::string_view s, std::size_t& i) {
  while (i < s.size()) {
    if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') {
      ++i;
    } else if (s[i] == '(') {  // comment, nesting allowed
      int depth = 0;
      for (; i < s.size(); ++i) {
        if (s[i] == '\\') {  // quoted-pair: skip the next character, if there is one
          if (i + 1 < s.size()) ++i;
          continue;
        }
        if (s[i] == '(') ++depth;
        if (s[i] == ')' && --depth == 0) {
          ++i;
          break;
        }
      }
    } else {
      break;
    }
  }
}

std::string read_token(std::string_view s, std::size_t& i) {
  std::size_t b = i;
  while (i < s.size() && is_token_char(s[i])) ++i;
  return std::string(s.substr(b, i - b));
}

int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string pct_decode(std::string_view s) {
  std::string r;
  for (std::size_t i = 0; i < s.size(); ++i) {
    int h, l;
    if (s[i] == '%' && i + 2 < s.size() && (h = hexval(s[i + 1])) >= 0 &&
        (l = hexval(s[i + 2])) >= 0) {
      r.push_back(static_cast<char>(h * 16 + l));
      i += 2;
    } else {
      r.push_back(s[i]);
    }
  }
  return r;
}

struct Section {
  std::string value;
  bool extended;
};

}  // namespace

std::optional<std::string> Parameters::get(std::string_view name) const {
  for (const auto& [n, v] : items)
    if (iequals(n, name)) return v;
  return std::nullopt;
}

void Parameters::set(std::string_view name, std::string value) {
  for (auto& [n, v] : items)
    if (iequals(n, name)) {
      v = std::move(value);
      return;
    }
  items.emplace_back(lower(name), std::move(value));
}

Parameters parse_parameters(std::string_view s) {
  std::vector<std::string> order;
  std::map<std::string, std::string> plain;
  std::map<std::string, std::map<int, Section>> ext;
  std::size_t i = 0;
  while (i < s.size()) {
    skip_cfws(s, i);
    if (i < s.size() && s[i] == ';') {
      ++i;
      continue;
    }
    std::string name = lower(read_token(s, i));
    skip_cfws(s, i);
    if (name.empty() || i >= s.size() || s[i] != '=') {  // junk: skip to the next ';'
      while (i < s.size() && s[i] != ';') ++i;
      continue;
    }
    ++i;
    skip_cfws(s, i);
    std::string value;
    if (i < s.size() && s[i] == '"') {
      for (++i; i < s.size() && s[i] != '"'; ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        value.push_back(s[i]);
      }
      if (i < s.size()) ++i;
    } else {
      std::size_t b = i;
      while (i < s.size() && s[i] != ';') ++i;
      std::string_view v = s.substr(b, i - b);
      while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
      value = std::string(v);
    }
    // RFC 2231: name*  |  name*N  |  name*N*
    std::size_t star = name.find('*');
    std::string base = name.substr(0, star);
    if (std::find(order.begin(), order.end(), base) == order.end()) order.push_back(base);
    if (star == std::string::npos) {
      plain.emplace(base, std::move(value));
      continue;
    }
    std::string_view rest = std::string_view(name).substr(star + 1);
    bool extended = !rest.empty() && rest.back() == '*';
    if (extended) rest.remove_suffix(1);
    int index = 0;
    if (rest.empty()) {
      extended = true;  // name*=...
    } else if (rest.size() <= 4 && std::all_of(rest.begin(), rest.end(), ::isdigit)) {
      index = std::stoi(std::string(rest));
    } else {
      continue;
    }
    ext[base].emplace(index, Section{std::move(value), extended});
  }
  Parameters out;
  for (const std::string& name : order) {
    auto e = ext.find(name);
    if (e != ext.end()) {
      std::string charset, joined;
      for (auto& [idx, sec] : e->second) {
        std::string_view v = sec.value;
        if (idx == e->second.begin()->first && sec.extended) {
          std::size_t q1 = v.find('\''),
                      q2 = q1 == std::string_view::npos ? q1 : v.find('\'', q1 + 1);
          if (q2 != std::string_view::npos) {
            charset = lower(v.substr(0, q1));
            v = v.substr(q2 + 1);
          }
        }
        joined += sec.extended ? pct_decode(v) : std::string(v);
      }
      if (!charset.empty()) {
        if (auto u = to_utf8(joined, charset)) joined = std::move(*u);
      }
      out.items.emplace_back(name, std::move(joined));
    } else if (auto p = plain.find(name); p != plain.end()) {
      std::string v = p->second;
      if (v.find("=?") != std::string::npos) v = decode_header_text(v);
      out.items.emplace_back(name, std::move(v));
    }
  }
  return out;
}

std::optional<ContentType> parse_content_type(std::string_view value) {
  std::size_t i = 0;
  skip_cfws(value, i);
  std::string type = lower(read_token(value, i));
  skip_cfws(value, i);
  if (type.empty() || i >= value.size() || value[i] != '/') return std::nullopt;
  ++i;
  skip_cfws(value, i);
  std::string sub = lower(read_token(value, i));
  if (sub.empty()) return std::nullopt;
  ContentType ct;
  ct.type = std::move(type);
  ct.subtype = std::move(sub);
  ct.params = parse_parameters(value.substr(i));
  return ct;
}

std::optional<ContentDisposition> parse_content_disposition(std::string_view value) {
  std::size_t i = 0;
  skip_cfws(value, i);
  std::string type = lower(read_token(value, i));
  if (type.empty()) return std::nullopt;
  return ContentDisposition{std::move(type), parse_parameters(value.substr(i))};
}

std::string ContentType::str() const {
  std::string out = type + "/" + subtype;
  for (const auto& [n, v] : params.items) {
    out += "; ";
    if (!v.empty() && std::all_of(v.begin(), v.end(), is_token_char)) {
      out += n + "=" + v;
    } else if (is_ascii(v)) {
      out += n + "=\"";
      for (char c : v) {
        if (c == '"' || c == '\\') out.push_back('\\');
        out.push_back(c);
      }
      out += "\"";
    } else {  // RFC 2231 extended value
      static const char* kHex = "0123456789ABCDEF";
      out += n + "*=utf-8''";
      for (unsigned char c : v) {
        if (is_token_char(static_cast<char>(c)) && c != '%' && c != '\'' && c != '*') {
          out.push_back(static_cast<char>(c));
        } else {
          out += '%';
          out += kHex[c >> 4];
          out += kHex[c & 15];
        }
      }
    }
  }
  return out;
}

}  // namespace smimegw::mime
