// smtp: command line and MAIL/RCPT parameter parsing (see command.hpp). Every limit here is a
// syntax limit of RFC 5321 §4.5.3.1 (path 256 octets, local part 64, domain 255).
#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <optional>
#include <vector>

#include "smimegw/smtp/command.hpp"

namespace smimegw::smtp {
namespace {

constexpr std::size_t kMaxPath = 256;

core::Error syntax(std::string msg) {
  return core::Error::make("syntax_error", std::move(msg));
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::toupper(static_cast<unsigned char>(x)) ==
                  std::toupper(static_cast<unsigned char>(y));
         });
}

struct VerbEntry {
  std::string_view name;
  Verb verb;
};
constexpr std::array<VerbEntry, 13> kVerbs{{{"HELO", Verb::Helo},
                                            {"EHLO", Verb::Ehlo},
                                            {"MAIL", Verb::Mail},
                                            {"RCPT", Verb::Rcpt},
                                            {"DATA", Verb::Data},
                                            {"RSET", Verb::Rset},
                                            {"NOOP", Verb::Noop},
                                            {"QUIT", Verb::Quit},
                                            {"HELP", Verb::Help},
                                            {"VRFY", Verb::Vrfy},
                                            {"EXPN", Verb::Expn},
                                            {"STARTTLS", Verb::StartTls},
                                            {"AUTH", Verb::Auth}}};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// Parses "<path>" at the start of `s`; returns the address and advances `s` past '>'.
core::Result<std::string> parse_path(std::string_view& s, bool allow_null, bool smtputf8) {
  if (s.empty() || s.front() != '<') return syntax("address must be enclosed in <>");
  bool quoted = false;
  std::size_t end = std::string_view::npos;
  for (std::size_t i = 1; i < s.size(); ++i) {
    char c = s[i];
    if (quoted && c == '\\' && i + 1 < s.size()) {
      ++i;
      continue;
    }
    if (c == '"')
      quoted = !quoted;
    else if (c == '>' && !quoted) {
      end = i;
      break;
    }
  }
  if (end == std::string_view::npos) return syntax("unterminated address");
  std::string_view path = s.substr(1, end - 1);
  s.remove_prefix(end + 1);
  if (path.size() > kMaxPath) return syntax("address too long");
  // Source route "@a,@b:user@domain" (RFC 5321 §4.1.2: accept and ignore).
  if (!path.empty() && path.front() == '@') {
    auto colon = path.find(':');
    if (colon == std::string_view::npos) return syntax("bad source route");
    path.remove_prefix(colon + 1);
  }
  if (path.empty()) {
    if (allow_null) return std::string();
    return syntax("empty recipient address");
  }
  bool non_ascii = false;
  for (char c : path) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return syntax("control character in address");
    if (u >= 0x80) non_ascii = true;
  }
  if (non_ascii && !smtputf8)
    return core::Error::make("non_ascii_address", "non-ASCII address without SMTPUTF8");
  auto at = path.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == path.size())
    return syntax("address must be local-part@domain");
  if (at > 64 && !non_ascii) return syntax("local part too long");
  std::string_view domain = path.substr(at + 1);
  for (char c : domain)
    if (c == ' ' || c == '"' || c == '\\' || c == '<' || c == '>' || c == ',' || c == ';')
      return syntax("bad character in domain");
  std::string_view local = path.substr(0, at);
  if (local.front() != '"')
    for (char c : local)
      if (c == ' ' || c == '<' || c == '>' || c == ',' || c == ';' || c == '\\')
        return syntax("bad character in local part");
  return std::string(path);
}

struct Param {
  std::string key;  // upper-cased
  std::optional<std::string> value;
};

core::Result<std::vector<Param>> parse_params(std::string_view s) {
  std::vector<Param> out;
  s = trim(s);
  while (!s.empty()) {
    auto sp = s.find(' ');
    std::string_view tok = s.substr(0, sp);
    s = sp == std::string_view::npos ? std::string_view() : trim(s.substr(sp));
    auto eq = tok.find('=');
    Param p;
    p.key = upper(tok.substr(0, eq));
    if (p.key.empty()) return syntax("empty parameter name");
    for (char c : p.key)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return syntax("bad parameter");
    if (eq != std::string_view::npos) p.value = std::string(tok.substr(eq + 1));
    for (const auto& q : out)
      if (q.key == p.key) return syntax("duplicate parameter " + p.key);
    out.push_back(std::move(p));
    if (out.size() > 16) return syntax("too many parameters");
  }
  return out;
}

core::Error unknown_param(const std::string& key) {
  return core::Error::make("unknown_parameter",
                           "parameter " + key.substr(0, 20) + " not supported");
}

/// Parses "FROM:" / "TO:" (tolerating one space before '<' as many clients send it).
core::Result<std::string_view> strip_keyword(std::string_view arg, std::string_view kw) {
  if (arg.size() < kw.size() || !iequals(arg.substr(0, kw.size()), kw))
    return syntax(std::string("expected ") + std::string(kw) + "<address>");
  arg.remove_prefix(kw.size());
  while (!arg.empty() && arg.front() == ' ') arg.remove_prefix(1);
  return arg;
}

}  // namespace

Command parse_command(std::string_view line) {
  Command cmd;
  auto sp = line.find(' ');
  std::string_view verb = line.substr(0, sp);
  cmd.name = upper(verb.substr(0, 16));
  if (sp != std::string_view::npos) cmd.arg = std::string(trim(line.substr(sp + 1)));
  for (const auto& e : kVerbs)
    if (cmd.name == e.name && verb.size() == e.name.size()) cmd.verb = e.verb;
  return cmd;
}

core::Result<std::string> xtext_decode(std::string_view in) {
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    auto u = static_cast<unsigned char>(c);
    if (u < 33 || u > 126 || c == '=') return syntax("bad xtext");
    if (c != '+') {
      out += c;
      continue;
    }
    if (i + 2 >= in.size()) return syntax("bad xtext escape");
    unsigned v = 0;
    auto r = std::from_chars(in.data() + i + 1, in.data() + i + 3, v, 16);
    if (r.ec != std::errc() || r.ptr != in.data() + i + 3) return syntax("bad xtext escape");
    for (std::size_t k = i + 1; k < i + 3; ++k)
      if (std::islower(static_cast<unsigned char>(in[k]))) return syntax("bad xtext escape");
    out += static_cast<char>(v);
    i += 2;
  }
  return out;
}

std::string xtext_encode(std::string_view in) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (char c : in) {
    auto u = static_cast<unsigned char>(c);
    if (u < 33 || u > 126 || c == '+' || c == '=') {
      out += '+';
      out += hex[u >> 4];
      out += hex[u & 15];
    } else {
      out += c;
    }
  }
  return out;
}

core::Result<MailFrom> parse_mail_from(std::string_view arg) {
  auto rest = strip_keyword(arg, "FROM:");
  if (!rest) return rest.error();
  std::string_view s = *rest;
  // SMTPUTF8 decides whether a non-ASCII path is allowed: look at the parameters first.
  bool utf8 = false;
  {
    auto close = s.rfind('>');
    if (close != std::string_view::npos) {
      auto params = parse_params(s.substr(close + 1));
      if (params)
        for (const auto& p : *params) utf8 = utf8 || p.key == "SMTPUTF8";
    }
  }
  auto addr = parse_path(s, true, utf8);
  if (!addr) return addr.error();
  if (!s.empty() && s.front() != ' ') return syntax("space expected after the address");
  auto params = parse_params(s);
  if (!params) return params.error();
  MailFrom m;
  m.address = std::move(*addr);
  for (auto& p : *params) {
    const std::string v = p.value.value_or("");
    if (p.key == "SIZE") {
      if (!p.value || v.empty() || v.size() > 19) return syntax("bad SIZE value");
      auto r = std::from_chars(v.data(), v.data() + v.size(), m.size);
      if (r.ec != std::errc() || r.ptr != v.data() + v.size()) return syntax("bad SIZE value");
    } else if (p.key == "BODY") {
      if (iequals(v, "7BIT"))
        m.body = core::BodyType::SevenBit;
      else if (iequals(v, "8BITMIME"))
        m.body = core::BodyType::EightBitMime;
      else if (iequals(v, "BINARYMIME"))
        return unknown_param("BODY=BINARYMIME");
      else
        return syntax("bad BODY value");
    } else if (p.key == "SMTPUTF8") {
      if (p.value) return syntax("SMTPUTF8 takes no value");
      m.smtputf8 = true;
    } else if (p.key == "RET") {
      if (iequals(v, "FULL"))
        m.ret = core::DsnRet::Full;
      else if (iequals(v, "HDRS"))
        m.ret = core::DsnRet::Headers;
      else
        return syntax("bad RET value");
    } else if (p.key == "ENVID") {
      if (!p.value || v.size() > 100) return syntax("bad ENVID value");
      auto d = xtext_decode(v);
      if (!d) return d.error();
      m.envid = std::move(*d);
    } else if (p.key == "AUTH") {
      // RFC 4954 §5: accepted; the authenticated identity comes from our own AUTH exchange.
    } else {
      return unknown_param(p.key);
    }
  }
  return m;
}

core::Result<RcptTo> parse_rcpt_to(std::string_view arg, bool smtputf8) {
  auto rest = strip_keyword(arg, "TO:");
  if (!rest) return rest.error();
  std::string_view s = *rest;
  auto addr = parse_path(s, false, smtputf8);
  if (!addr) return addr.error();
  if (!s.empty() && s.front() != ' ') return syntax("space expected after the address");
  auto params = parse_params(s);
  if (!params) return params.error();
  RcptTo r;
  r.recipient.address = std::move(*addr);
  for (auto& p : *params) {
    const std::string v = p.value.value_or("");
    if (p.key == "NOTIFY") {
      if (v.empty()) return syntax("bad NOTIFY value");
      unsigned bits = 0;
      std::string_view rest_v = v;
      while (!rest_v.empty()) {
        auto comma = rest_v.find(',');
        auto item = rest_v.substr(0, comma);
        rest_v = comma == std::string_view::npos ? std::string_view() : rest_v.substr(comma + 1);
        if (iequals(item, "NEVER"))
          bits |= 8;
        else if (iequals(item, "SUCCESS"))
          bits |= 1;
        else if (iequals(item, "FAILURE"))
          bits |= 2;
        else if (iequals(item, "DELAY"))
          bits |= 4;
        else
          return syntax("bad NOTIFY value");
      }
      if ((bits & 8) && bits != 8) return syntax("NOTIFY=NEVER cannot be combined");
      r.recipient.notify = bits;
    } else if (p.key == "ORCPT") {
      auto semi = v.find(';');
      if (semi == std::string::npos || semi == 0 || v.size() > 500)
        return syntax("bad ORCPT value");
      auto d = xtext_decode(std::string_view(v).substr(semi + 1));
      if (!d) return d.error();
      r.recipient.orcpt = v.substr(0, semi) + ";" + *d;
    } else {
      return unknown_param(p.key);
    }
  }
  return r;
}

}  // namespace smimegw::smtp
