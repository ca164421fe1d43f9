#include "convert.hpp"

#include <arpa/inet.h>

#include <cctype>
#include <charconv>

#include "smimegw/config/loader.hpp"
#include "smimegw/core/address.hpp"
#include "smimegw/core/utf8.hpp"

namespace smimegw::config {

std::string Endpoint::str() const {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

namespace {

/// The host of an endpoint: inside brackets an IPv6 address (no zone id); otherwise an IPv4
/// address in dotted-quad form, a DNS host name (letters, digits, '-', '_'; labels of 1..63, 253
/// in all) or "*" (every IPv4 address, for listeners). Anything else would reach the resolver, the
/// logs and `check-config` as it is.
bool valid_host(std::string_view host, bool bracketed) {
  const std::string h(host);
  if (!bracketed && h == "*") return true;
  if (bracketed) {
    in6_addr a6{};
    return inet_pton(AF_INET6, h.c_str(), &a6) == 1;
  }
  if (h.find_first_not_of("0123456789.") == std::string::npos) {
    in_addr a4{};
    return inet_pton(AF_INET, h.c_str(), &a4) == 1;
  }
  if (h.size() > 253) return false;
  std::size_t label = 0;
  for (char c : h) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
      continue;
    }
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
    if (!ok || ++label > 63) return false;
  }
  return label > 0;
}

}  // namespace

std::optional<Endpoint> parse_endpoint(std::string_view text, std::string* why) {
  auto fail = [&](std::string msg) -> std::optional<Endpoint> {
    if (why) *why = std::move(msg);
    return std::nullopt;
  };
  std::string_view host, port;
  const bool bracketed = !text.empty() && text.front() == '[';
  if (bracketed) {
    auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return fail("expected \"[ipv6]:port\", got \"" + std::string(text) + "\"");
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos)
      return fail("expected \"host:port\", got \"" + std::string(text) + "\"");
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos)
      return fail("IPv6 addresses must be written \"[addr]:port\"");
  }
  if (host.empty()) return fail("empty host in \"" + std::string(text) + "\"");
  if (!valid_host(host, bracketed))
    return fail(bracketed ? "\"" + std::string(host) + "\" is not an IPv6 address"
                          : "\"" + std::string(host) + "\" is not an IPv4 address or host name");
  long value = -1;
  auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || ptr != port.data() + port.size())
    return fail("port \"" + std::string(port) + "\" is not a number");
  if (value < 1 || value > 65535)
    return fail("port " + std::string(port) + " out of range 1..65535");
  return Endpoint{std::string(host), static_cast<std::uint16_t>(value)};
}

namespace detail {
namespace {

/// No setting holds a control character: a CR/LF or NUL in a host name, an address or a path
/// would end up in SMTP lines, headers or file names. Text is UTF-8: a stray byte from a file in
/// another encoding would reach headers and JSON as it is.
bool clean_text(const std::string& v, std::string& why) {
  for (unsigned char c : v)
    if (c < 0x20 || c == 0x7f) {
      why = "contains a control character (code " + std::to_string(c) + ")";
      return false;
    }
  if (!core::valid_utf8(v)) {
    why = "is not valid UTF-8";
    return false;
  }
  return true;
}

std::optional<std::string> scalar(const YAML::Node& node, std::string& why) {
  if (!node.IsScalar()) {
    why = node.IsNull() ? "value is empty" : "expected a single value, not a list or map";
    if (node.IsNull()) return std::string();
    return std::nullopt;
  }
  if (!clean_text(node.Scalar(), why)) return std::nullopt;
  return node.Scalar();
}

std::optional<std::vector<std::string>> string_list(const YAML::Node& node, std::string& why) {
  if (node.IsNull()) return std::vector<std::string>{};
  if (!node.IsSequence()) {
    why = "expected a list";
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& item : node) {
    if (!item.IsScalar()) {
      why = "list items must be strings";
      return std::nullopt;
    }
    if (!clean_text(item.Scalar(), why)) return std::nullopt;
    out.push_back(item.Scalar());
  }
  return out;
}

bool valid_domain(const std::string& d) {
  if (d.empty() || d.size() > 253 || d.front() == '.' || d.back() == '.') return false;
  for (char c : d)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.')) return false;
  return d.find("..") == std::string::npos;
}

std::optional<Value> route_list(const YAML::Node& node, std::string& why) {
  if (node.IsNull()) return Value{std::vector<Route>{}};
  if (!node.IsSequence()) {
    why = "expected a list of {domain, host, tls}";
    return std::nullopt;
  }
  std::vector<Route> routes;
  for (const auto& item : node) {
    if (!item.IsMap()) {
      why = "each route must be a map {domain, host, tls}";
      return std::nullopt;
    }
    Route r{"", {}, "opportunistic", "", ""};
    for (const auto& kv : item) {
      if (!kv.first.IsScalar()) {
        why = "route keys must be names (domain, host, tls, auth_user, auth_password_file)";
        return std::nullopt;
      }
      const std::string k = kv.first.Scalar();
      if (!kv.second.IsScalar()) {
        why = "route." + k + " must be a single value";
        return std::nullopt;
      }
      auto v = kv.second.Scalar();
      if (!clean_text(v, why)) {
        why = "route." + k + " " + why;
        return std::nullopt;
      }
      if (k == "domain") {
        r.domain = core::ascii_lower(v);
      } else if (k == "host") {
        std::string e;
        auto ep = parse_endpoint(v, &e);
        if (!ep) {
          why = "route.host: " + e;
          return std::nullopt;
        }
        r.host = *ep;
      } else if (k == "tls") {
        if (v != "none" && v != "opportunistic" && v != "required") {
          why = "route.tls must be one of none, opportunistic, required (got \"" + v + "\")";
          return std::nullopt;
        }
        r.tls = v;
      } else if (k == "auth_user") {
        r.auth_user = v;
      } else if (k == "auth_password_file") {
        r.auth_password_file = v;
      } else {
        why = "unknown route key \"" + k +
              "\" (allowed: domain, host, tls, auth_user, auth_password_file)";
        return std::nullopt;
      }
    }
    if (!valid_domain(r.domain) || r.host.host.empty()) {
      why = "each route needs a valid domain and a host";
      return std::nullopt;
    }
    if (r.auth_user.empty() != r.auth_password_file.empty()) {
      why = "route " + r.domain + ": auth_user and auth_password_file go together";
      return std::nullopt;
    }
    routes.push_back(std::move(r));
  }
  return Value{std::move(routes)};
}

}  // namespace

std::optional<Value> convert(const Setting& s, const YAML::Node& node, std::string& why) {
  switch (s.type) {
    case Type::String:
    case Type::Path: {
      auto v = scalar(node, why);
      if (!v) return std::nullopt;
      return Value{*v};
    }
    case Type::Enum: {
      auto v = scalar(node, why);
      if (!v) return std::nullopt;
      for (auto a : s.allowed)
        if (a == *v) return Value{*v};
      why = "\"" + *v + "\" is not one of";
      for (auto a : s.allowed) why += " " + std::string(a);
      return std::nullopt;
    }
    case Type::Int: {
      auto v = scalar(node, why);
      if (!v) return std::nullopt;
      std::int64_t n = 0;
      auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
      if (v->empty() || ec != std::errc() || p != v->data() + v->size()) {
        why = "expected an integer, got \"" + *v + "\"";
        return std::nullopt;
      }
      if (n < s.min || n > s.max) {
        why = std::to_string(n) + " out of range " + std::to_string(s.min) + ".." +
              std::to_string(s.max);
        return std::nullopt;
      }
      return Value{n};
    }
    case Type::Bool: {
      auto v = scalar(node, why);
      if (!v) return std::nullopt;
      if (*v == "true" || *v == "yes" || *v == "on") return Value{true};
      if (*v == "false" || *v == "no" || *v == "off") return Value{false};
      why = "expected true or false, got \"" + *v + "\"";
      return std::nullopt;
    }
    case Type::Endpoint: {
      auto v = scalar(node, why);
      if (!v) return std::nullopt;
      auto ep = parse_endpoint(*v, &why);
      if (!ep) return std::nullopt;
      return Value{*ep};
    }
    case Type::StringList: {
      auto v = string_list(node, why);
      if (!v) return std::nullopt;
      return Value{*v};
    }
    case Type::DomainList: {
      auto v = string_list(node, why);
      if (!v) return std::nullopt;
      for (auto& d : *v) {
        d = core::ascii_lower(d);
        if (!valid_domain(d)) {
          why = "\"" + d + "\" is not a valid domain";
          return std::nullopt;
        }
      }
      return Value{*v};
    }
    case Type::RouteList:
      return route_list(node, why);
    case Type::IntList: {
      auto v = string_list(node, why);
      if (!v) return std::nullopt;
      if (v->empty()) {
        why = "expected a non-empty list of integers";
        return std::nullopt;
      }
      std::vector<std::int64_t> out;
      for (const auto& item : *v) {
        std::int64_t n = 0;
        auto [p, ec] = std::from_chars(item.data(), item.data() + item.size(), n);
        if (item.empty() || ec != std::errc() || p != item.data() + item.size()) {
          why = "expected integers, got \"" + item + "\"";
          return std::nullopt;
        }
        if (n < s.min || n > s.max) {
          why = std::to_string(n) + " out of range " + std::to_string(s.min) + ".." +
                std::to_string(s.max);
          return std::nullopt;
        }
        out.push_back(n);
      }
      return Value{std::move(out)};
    }
  }
  why = "unsupported type";
  return std::nullopt;
}

namespace {

/// A string as a YAML scalar that loads back to the same bytes: plain when it is made of characters
/// that mean nothing to YAML (names, paths, domains), else double-quoted with `"` and `\`
/// escaped (values hold no control characters; other bytes stay as they are, UTF-8 included).
std::string yaml_scalar(std::string_view s) {
  static constexpr std::string_view kPlain =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ._/@+=()-";
  const bool reserved = s == "null" || s == "Null" || s == "NULL";
  const bool plain = !s.empty() && !reserved && s.find_first_not_of(kPlain) == std::string::npos &&
                     (std::isalnum(static_cast<unsigned char>(s.front())) || s.front() == '/' ||
                      s.front() == '.' || s.front() == '_') &&
                     s.back() != ' ';
  if (plain) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string yaml_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + yaml_scalar(items[i]);
  return out + "]";
}

}  // namespace

std::string render(const Value& value) {
  struct Visitor {
    std::string operator()(const std::string& s) const { return yaml_scalar(s); }
    std::string operator()(std::int64_t n) const { return std::to_string(n); }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(const Endpoint& e) const { return yaml_scalar(e.str()); }
    std::string operator()(const std::vector<std::string>& l) const { return yaml_list(l); }
    std::string operator()(const std::vector<std::int64_t>& l) const {
      std::string out = "[";
      for (size_t i = 0; i < l.size(); ++i) out += (i ? ", " : "") + std::to_string(l[i]);
      return out + "]";
    }
    std::string operator()(const std::vector<Route>& routes) const {
      std::string out = "[";
      for (size_t i = 0; i < routes.size(); ++i) {
        const Route& r = routes[i];
        out += (i ? ", " : "") + std::string("{domain: ") + yaml_scalar(r.domain) +
               ", host: " + yaml_scalar(r.host.str()) + ", tls: " + r.tls;
        if (!r.auth_user.empty())
          out += ", auth_user: " + yaml_scalar(r.auth_user) +
                 ", auth_password_file: " + yaml_scalar(r.auth_password_file);
        out += "}";
      }
      return out + "]";
    }
  };
  return std::visit(Visitor{}, value);
}

}  // namespace detail
}  // namespace smimegw::config
