// directory: LDAP endpoint parsing and RFC 4515 filter escaping (ldap.hpp).
#include <cctype>
#include <charconv>

#include "smimegw/directory/ldap.hpp"

namespace smimegw::directory {

namespace {

core::Error bad(std::string_view text, const std::string& why) {
  return core::Error::make("bad_ldap_endpoint", "\"" + std::string(text) + "\": " + why);
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

bool valid_host(std::string_view h) {
  if (h.empty() || h.size() > 253) return false;
  for (char c : h)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_')
      return false;
  return h.front() != '-' && h.front() != '.';
}

bool valid_ipv6(std::string_view h) {
  if (h.empty()) return false;
  for (char c : h)
    if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') return false;
  return true;
}

// %XX decoding of the DN part of an LDAP URL (RFC 4516).
bool percent_decode(std::string_view in, std::string& out) {
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    unsigned v = 0;
    if (i + 2 >= in.size()) return false;
    auto r = std::from_chars(in.data() + i + 1, in.data() + i + 3, v, 16);
    if (r.ec != std::errc() || r.ptr != in.data() + i + 3) return false;
    out += static_cast<char>(v);
    i += 2;
  }
  return true;
}

}  // namespace

std::string LdapEndpoint::uri() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return std::string(tls ? "ldaps://" : "ldap://") + h + ":" + std::to_string(port);
}

core::Result<LdapEndpoint> parse_ldap_endpoint(std::string_view text) {
  LdapEndpoint ep;
  ep.text = std::string(text);
  std::string_view rest = text;
  bool scheme = false;
  if (starts_with_ci(rest, "ldaps://")) {
    ep.tls = true;
    ep.port = 636;
    rest.remove_prefix(8);
    scheme = true;
  } else if (starts_with_ci(rest, "ldap://")) {
    rest.remove_prefix(7);
    scheme = true;
  } else if (rest.find("://") != std::string_view::npos) {
    return bad(text, "unsupported scheme (use ldap:// or ldaps://)");
  }
  if (auto slash = rest.find('/'); slash != std::string_view::npos) {
    if (!scheme) return bad(text, "a search base needs the ldap:// or ldaps:// form");
    auto dn = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
    if (dn.find('?') != std::string_view::npos)
      return bad(text, "LDAP URL attributes, scope and filter are not supported");
    if (!percent_decode(dn, ep.base_dn)) return bad(text, "bad %-escape in the search base");
  }
  std::string_view host = rest, port;
  if (!rest.empty() && rest.front() == '[') {
    auto close = rest.find(']');
    if (close == std::string_view::npos) return bad(text, "unterminated [IPv6 address]");
    host = rest.substr(1, close - 1);
    auto after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad(text, "expected :port after ]");
      port = after.substr(1);
      if (port.empty()) return bad(text, "empty port");
    }
    if (!valid_ipv6(host)) return bad(text, "bad IPv6 address");
  } else {
    if (auto colon = rest.rfind(':'); colon != std::string_view::npos) {
      host = rest.substr(0, colon);
      port = rest.substr(colon + 1);
      if (port.empty()) return bad(text, "empty port");
    }
    if (!valid_host(host)) return bad(text, host.empty() ? "missing host" : "bad host name");
  }
  if (!port.empty()) {
    unsigned v = 0;
    auto r = std::from_chars(port.data(), port.data() + port.size(), v);
    if (r.ec != std::errc() || r.ptr != port.data() + port.size() || v == 0 || v > 65535)
      return bad(text, "port must be 1-65535");
    ep.port = static_cast<std::uint16_t>(v);
  }
  ep.host = std::string(host);
  return ep;
}

core::Result<std::vector<LdapEndpoint>> parse_ldap_endpoints(
    const std::vector<std::string>& texts) {
  std::vector<LdapEndpoint> out;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    auto ep = parse_ldap_endpoint(texts[i]);
    if (!ep)
      return core::Error::make(ep.error().code,
                               "ldap.endpoints[" + std::to_string(i) + "]: " + ep.error().message);
    out.push_back(std::move(*ep));
  }
  return out;
}

std::string ldap_filter_escape(std::string_view value) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(value.size());
  for (char ch : value) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '*' || c == '(' || c == ')' || c == '\\' || c == 0 || c >= 0x80) {
      out += '\\';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else {
      out += ch;
    }
  }
  return out;
}

}  // namespace smimegw::directory
