#include "compose.hpp"

#include <botan/base64.h>

#include <ctime>

#include "smimegw/http/json.hpp"

namespace smimegw::http::sync {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxRecipients = 500;
constexpr std::size_t kMaxAttachments = 50;

core::Error invalid(const std::string& field, const std::string& what) {
  return core::Error::make("validation_failed", field + ": " + what);
}

std::string b64(std::string_view bytes) {
  return Botan::base64_encode(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

/// base64 in lines of 76 characters, each ending in CRLF.
std::string b64_lines(std::string_view bytes) {
  auto all = b64(bytes);
  std::string out;
  for (std::size_t i = 0; i < all.size(); i += 76) out += all.substr(i, 76) + "\r\n";
  return out;
}

bool plain_ascii(const std::string& s) {
  for (unsigned char c : s)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

bool header_safe(const std::string& s) {
  for (unsigned char c : s)
    if (c == '\r' || c == '\n' || c == 0) return false;
  return true;
}

bool valid_address(const std::string& a) {
  auto at = a.rfind('@');
  if (at == std::string::npos || at == 0 || at + 1 >= a.size() || a.size() > 254) return false;
  for (unsigned char c : a)
    if (c <= 0x20 || c >= 0x7f || c == '<' || c == '>' || c == ',' || c == ';' || c == '"' ||
        c == '(' || c == ')' || c == '\\' || c == '[' || c == ']')
      return false;
  return true;
}

std::string mailbox_text(const std::string& name, const std::string& address) {
  if (name.empty()) return address;
  if (plain_ascii(name)) {
    std::string q = "\"";
    for (char c : name) {
      if (c == '"' || c == '\\') q += '\\';
      q += c;
    }
    return q + "\" <" + address + ">";
  }
  return encode_word(name) + " <" + address + ">";
}

core::Result<std::vector<std::string>> recipients(const json::object& m, const char* key,
                                                  std::vector<std::string>& all) {
  std::vector<std::string> out;
  auto it = m.find(key);
  if (it == m.end() || it->value().is_null()) return out;
  const std::string field = std::string("message.") + key;
  if (!it->value().is_array()) return invalid(field, "must be an array of recipients");
  const auto& arr = it->value().as_array();
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const std::string f = field + "[" + std::to_string(i) + "].emailAddress";
    if (!arr[i].is_object()) return invalid(f, "required");
    auto ea = arr[i].as_object().find("emailAddress");
    if (ea == arr[i].as_object().end() || !ea->value().is_object()) return invalid(f, "required");
    auto address = string_field(ea->value().as_object(), "address", true, 254);
    if (!address) return invalid(f + ".address", "required, an email address");
    if (!valid_address(**address)) return invalid(f + ".address", "not an email address");
    auto name = string_field(ea->value().as_object(), "name", false, 256);
    if (!name || !header_safe(name->value_or(""))) return invalid(f + ".name", "a display name");
    if (all.size() >= kMaxRecipients)
      return invalid(field, "more than " + std::to_string(kMaxRecipients) + " recipients in all");
    all.push_back(**address);
    out.push_back(mailbox_text(name->value_or(""), **address));
  }
  return out;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",\r\n ") + s;
  return out;
}

std::string rfc5322_date(std::int64_t now) {
  std::time_t t = static_cast<std::time_t>(now);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

struct Part {
  std::string headers;  ///< CRLF-terminated lines
  std::string body;
};

core::Result<Part> body_part(const json::object& m) {
  std::string type = "text/plain";
  std::string content;
  auto it = m.find("body");
  if (it != m.end() && !it->value().is_null()) {
    if (!it->value().is_object()) return invalid("message.body", "must be an object");
    const auto& b = it->value().as_object();
    auto ct = string_field(b, "contentType", false, 16);
    if (!ct) return invalid("message.body.contentType", "text or html");
    std::string t = ct->value_or("text");
    for (auto& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (t == "html")
      type = "text/html";
    else if (t != "text")
      return invalid("message.body.contentType", "text or html");
    auto c = string_field(b, "content", false, 64 * 1024 * 1024);
    if (!c) return c.error();
    content = c->value_or("");
  }
  return Part{"Content-Type: " + type + "; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n",
              b64_lines(content)};
}

core::Result<std::vector<Part>> attachment_parts(const json::object& m) {
  std::vector<Part> out;
  auto it = m.find("attachments");
  if (it == m.end() || it->value().is_null()) return out;
  if (!it->value().is_array()) return invalid("message.attachments", "must be an array");
  const auto& arr = it->value().as_array();
  if (arr.size() > kMaxAttachments)
    return invalid("message.attachments", "more than " + std::to_string(kMaxAttachments));
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const std::string f = "message.attachments[" + std::to_string(i) + "]";
    if (!arr[i].is_object()) return invalid(f, "must be an object");
    const auto& a = arr[i].as_object();
    auto type = string_field(a, "@odata.type", false, 64);
    if (!type || (type->has_value() && **type != "#microsoft.graph.fileAttachment"))
      return invalid(f + ".@odata.type", "only #microsoft.graph.fileAttachment");
    auto name = string_field(a, "name", true, 256);
    if (!name || !header_safe(**name) || (*name)->empty())
      return invalid(f + ".name", "required, a file name");
    auto ct = string_field(a, "contentType", false, 128);
    std::string ctype = ct ? ct->value_or("application/octet-stream") : "";
    if (ctype.find('/') == std::string::npos || !plain_ascii(ctype) ||
        ctype.find_first_of(" ;\"") != std::string::npos)
      return invalid(f + ".contentType", "a MIME type (type/subtype)");
    auto bytes = string_field(a, "contentBytes", true, 64 * 1024 * 1024);
    if (!bytes) return invalid(f + ".contentBytes", "required, base64");
    std::string decoded;
    try {
      auto v = Botan::base64_decode(**bytes);
      decoded.assign(v.begin(), v.end());
    } catch (const std::exception&) {
      return invalid(f + ".contentBytes", "not valid base64");
    }
    std::string fname = plain_ascii(**name) && (*name)->find('"') == std::string::npos
                            ? "\"" + **name + "\""
                            : "\"" + encode_word(**name) + "\"";
    out.push_back({"Content-Type: " + ctype + "; name=" + fname +
                       "\r\nContent-Disposition: attachment; filename=" + fname +
                       "\r\nContent-Transfer-Encoding: base64\r\n",
                   b64_lines(decoded)});
  }
  return out;
}

core::Result<std::string> custom_headers(const json::object& m) {
  std::string out;
  auto it = m.find("internetMessageHeaders");
  if (it == m.end() || it->value().is_null()) return out;
  if (!it->value().is_array()) return invalid("message.internetMessageHeaders", "must be an array");
  const auto& arr = it->value().as_array();
  for (std::size_t i = 0; i < arr.size() && i < 100; ++i) {
    const std::string f = "message.internetMessageHeaders[" + std::to_string(i) + "]";
    if (!arr[i].is_object()) return invalid(f, "must be an object");
    auto name = string_field(arr[i].as_object(), "name", true, 76);
    auto value = string_field(arr[i].as_object(), "value", true, 998);
    if (!name || (*name)->size() < 3 || ((**name)[0] != 'X' && (**name)[0] != 'x') ||
        (**name)[1] != '-' || (*name)->find_first_of(": \t\r\n") != std::string::npos ||
        !plain_ascii(**name))
      return invalid(f + ".name", "a custom header name starting with X-");
    if (!value || !header_safe(**value)) return invalid(f + ".value", "a single-line value");
    out += **name + ": " + **value + "\r\n";
  }
  return out;
}

}  // namespace

std::string encode_word(const std::string& text) {
  if (plain_ascii(text)) return text;
  // Encoded words of at most 75 characters; split on UTF-8 character boundaries.
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t n = std::min<std::size_t>(45, text.size() - i);
    while (i + n < text.size() && (static_cast<unsigned char>(text[i + n]) & 0xC0) == 0x80) --n;
    if (n == 0) n = 1;
    out += (out.empty() ? "" : "\r\n ") + std::string("=?UTF-8?B?") + b64(text.substr(i, n)) + "?=";
    i += n;
  }
  return out;
}

core::Result<Composed> compose(const json::object& m, const std::string& from, std::int64_t now,
                               const std::string& unique, const ComposeExtras& extras) {
  Composed c;
  auto subject = string_field(m, "subject", false, 998);
  if (!subject) return subject.error();
  if (!header_safe(subject->value_or(""))) return invalid("message.subject", "a single line");
  auto to = recipients(m, "toRecipients", c.rcpts);
  if (!to) return to.error();
  auto cc = recipients(m, "ccRecipients", c.rcpts);
  if (!cc) return cc.error();
  auto bcc = recipients(m, "bccRecipients", c.rcpts);
  if (!bcc) return bcc.error();
  if (c.rcpts.empty()) return invalid("message.toRecipients", "at least one recipient is required");
  auto body = body_part(m);
  if (!body) return body.error();
  auto atts = attachment_parts(m);
  if (!atts) return atts.error();
  auto custom = custom_headers(m);
  if (!custom) return custom.error();

  auto domain = from.substr(from.rfind('@') + 1);
  std::string h = "From: " + from + "\r\n";
  if (!to->empty()) h += "To: " + join(*to) + "\r\n";
  if (!cc->empty()) h += "Cc: " + join(*cc) + "\r\n";
  h += "Subject: " + encode_word(subject->value_or("")) + "\r\n";
  h += "Date: " + rfc5322_date(now) + "\r\n";
  h += "Message-ID: <" + unique + "@" + domain + ">\r\n";
  h += *custom;
  h += extras.headers;
  h += "MIME-Version: 1.0\r\n";
  if (!extras.rfc822.empty())
    atts->push_back(
        {"Content-Type: message/rfc822\r\nContent-Disposition: attachment; "
         "filename=\"original.eml\"\r\nContent-Transfer-Encoding: 8bit\r\n",
         extras.rfc822 + (extras.rfc822.ends_with("\r\n") ? "" : "\r\n")});
  if (atts->empty()) {
    c.mime = h + body->headers + "\r\n" + body->body;
    return c;
  }
  const std::string boundary = "=_smimegw_" + unique;
  c.mime = h + "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n";
  c.mime += "--" + boundary + "\r\n" + body->headers + "\r\n" + body->body;
  for (const auto& p : *atts) c.mime += "--" + boundary + "\r\n" + p.headers + "\r\n" + p.body;
  c.mime += "--" + boundary + "--\r\n";
  return c;
}

}  // namespace smimegw::http::sync
