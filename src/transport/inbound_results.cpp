// transport: the Authentication-Results field (RFC 8601, method smime of RFC 7281) and the JSON
// status of inbound processing (inbound_verdict.hpp).
#include <cctype>

#include "smimegw/mime/header_edit.hpp"
#include "smimegw/mime/header_field.hpp"
#include "smimegw/mime/parser.hpp"
#include "smimegw/transport/inbound_verdict.hpp"

namespace smimegw::transport {
namespace {

constexpr std::string_view kField = "Authentication-Results";
constexpr std::size_t kMaxCommentDepth = 8;

/// RFC 8601 reason value: a quoted-string (the codes are snake_case, but quote anyway).
std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) out += c;
  }
  return out + "\"";
}

std::string resinfo(const SignerVerdict& v) {
  std::string s = "smime=" + std::string(to_string(v.result));
  if (v.result != SmimeResult::pass && !v.errors.empty()) s += " reason=" + quoted(v.errors[0]);
  // RFC 8601 pvalue allows [local-part] "@" domain-name unquoted.
  bool plain = !v.identifier.empty();
  for (char c : v.identifier)
    plain = plain && (std::isalnum(static_cast<unsigned char>(c)) ||
                      std::string_view("@.-_+=!#$%&'*/?^`{|}~").find(c) != std::string_view::npos);
  if (plain) s += " header.smime-identifier=" + v.identifier;
  return s;
}

/// Skips whitespace and (nested) comments from `i`.
void skip_cfws(std::string_view v, std::size_t& i) {
  std::size_t depth = 0;
  while (i < v.size()) {
    char c = v[i];
    if (depth == 0 && (c == ' ' || c == '\t' || c == '\r' || c == '\n')) {
      ++i;
    } else if (c == '(') {
      if (++depth > kMaxCommentDepth) return;
      ++i;
    } else if (depth > 0 && c == ')') {
      --depth;
      ++i;
    } else if (depth > 0 && c == '\\' && i + 1 < v.size()) {
      i += 2;
    } else if (depth > 0) {
      ++i;
    } else {
      return;
    }
  }
}

}  // namespace

std::string authentication_results(std::string_view authserv_id, const Analysis& a) {
  std::string out(authserv_id);
  if (a.encrypted && !a.decrypted) {
    SignerVerdict v;
    v.result = a.status.result == "permerror" ? SmimeResult::permerror : SmimeResult::neutral;
    v.errors.push_back(a.decrypt_error.empty() ? "not_decrypted" : a.decrypt_error);
    return out + "; " + resinfo(v);
  }
  if (a.signers.empty()) return out + "; smime=none";
  for (const auto& v : a.signers) out += "; " + resinfo(v);
  return out;
}

std::string authserv_id_of(std::string_view value) {
  std::size_t i = 0;
  skip_cfws(value, i);
  std::string id;
  if (i < value.size() && value[i] == '"') {
    for (++i; i < value.size() && value[i] != '"'; ++i) {
      if (value[i] == '\\' && i + 1 < value.size()) ++i;
      id += value[i];
    }
    return id;
  }
  for (; i < value.size(); ++i) {
    char c = value[i];
    if (c == ';' || c == '(' || c == ' ' || c == '\t' || c == '\r' || c == '\n') break;
    id += c;
  }
  return id;
}

core::Result<std::string> stamp_results(std::string_view message, std::string_view authserv_id,
                                        std::string_view value, std::size_t* removed,
                                        const mime::Limits& limits) {
  auto msg = mime::parse(message, limits);
  if (!msg) return msg.error();
  mime::HeaderBlock in = mime::header_block(*msg, msg->root);
  mime::HeaderBlock out;
  std::size_t n = 0;
  for (const auto& f : in.fields()) {
    if (mime::iequals(f.name, kField) &&
        mime::iequals(authserv_id_of(mime::unfold(f.value)), authserv_id)) {
      ++n;
      continue;
    }
    out.append(f);
  }
  if (auto st = out.prepend(kField, value); !st) return st.error();
  if (removed) *removed = n;
  return mime::replace_header(*msg, msg->root, out);
}

namespace {

std::string json_string(std::string_view s) {
  static const char* hex = "0123456789abcdef";
  std::string out = "\"";
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      out += "\\u00";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

const char* json_bool(bool b) {
  return b ? "true" : "false";
}

}  // namespace

std::string status_json(const InboundStatus& s) {
  std::string out = "{\"signed\":" + std::string(json_bool(s.is_signed));
  out += ",\"signatureStatus\":" + json_string(s.signature_status);
  out += ",\"signer\":" + (s.signer.empty() ? std::string("null") : json_string(s.signer));
  out += ",\"certificate\":";
  if (s.certificate) {
    const auto& c = *s.certificate;
    out += "{\"subject\":" + json_string(c.subject) + ",\"issuer\":" + json_string(c.issuer) +
           ",\"serial\":" + json_string(c.serial) + ",\"notAfter\":" + json_string(c.not_after) +
           ",\"thumbprint\":" + json_string(c.thumbprint) + "}";
  } else {
    out += "null";
  }
  out += ",\"errors\":[";
  for (std::size_t i = 0; i < s.errors.size(); ++i)
    out += (i ? "," : "") + json_string(s.errors[i]);
  out += "],\"encrypted\":" + std::string(json_bool(s.encrypted));
  out += ",\"decrypted\":" + std::string(json_bool(s.decrypted));
  out += ",\"result\":" + json_string(s.result) + "}";
  return out;
}

}  // namespace smimegw::transport
