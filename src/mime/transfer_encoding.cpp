// mime: transfer encodings (RFC 2045 §6.7 quoted-printable, §6.8 base64).
#include "smimegw/mime/transfer_encoding.hpp"

#include <array>

#include "smimegw/mime/canonical.hpp"
#include "smimegw/mime/error_codes.hpp"
#include "smimegw/mime/header_field.hpp"

namespace smimegw::mime {
namespace {

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kHex[] = "0123456789ABCDEF";

constexpr std::array<signed char, 256> make_table() {
  std::array<signed char, 256> t{};
  for (auto& v : t) v = -1;
  for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(kB64[i])] = static_cast<signed char>(i);
  return t;
}
constexpr auto kB64Table = make_table();

int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

core::Error bad_b64(const char* why) {
  return core::Error::make(errc::kBadBase64, why);
}

}  // namespace

core::Result<std::string> decode_base64(std::string_view in, bool strict) {
  std::string out;
  out.reserve(in.size() / 4 * 3 + 3);
  unsigned acc = 0;
  int bits = 0, quantum = 0, pad = 0;
  for (char c : in) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    if (c == '=') {
      if (strict && (quantum < 2 || pad >= 2)) return bad_b64("misplaced base64 padding");
      ++pad;
      ++quantum;
      if (quantum == 4) quantum = 0, acc = 0, bits = 0, pad = 0;
      continue;
    }
    signed char v = kB64Table[static_cast<unsigned char>(c)];
    if (v < 0) {
      if (strict) return bad_b64("invalid character in base64");
      continue;
    }
    if (pad > 0) {  // data after padding inside a quantum
      if (strict) return bad_b64("data after base64 padding");
      quantum = 0, acc = 0, bits = 0, pad = 0;
    }
    acc = (acc << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
    quantum = (quantum + 1) % 4;
  }
  if (strict && quantum != 0) return bad_b64("truncated base64");
  return out;
}

std::string encode_base64(std::string_view in, bool final_crlf) {
  std::string out;
  append_base64(out, in, final_crlf);
  return out;
}

void append_base64(std::string& out, std::string_view in, bool final_crlf) {
  const std::size_t start = out.size();
  const std::size_t chars = (in.size() + 2) / 3 * 4;
  out.resize(start + chars + (chars / 76 + 1) * 2);
  char* o = out.data() + start;
  std::size_t col = 0;
  for (std::size_t i = 0; i < in.size(); i += 3) {
    unsigned n = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) n |= static_cast<unsigned char>(in[i + 1]) << 8;
    if (i + 2 < in.size()) n |= static_cast<unsigned char>(in[i + 2]);
    *o++ = kB64[(n >> 18) & 63];
    *o++ = kB64[(n >> 12) & 63];
    *o++ = i + 1 < in.size() ? kB64[(n >> 6) & 63] : '=';
    *o++ = i + 2 < in.size() ? kB64[n & 63] : '=';
    col += 4;
    if (col == 76 && i + 3 < in.size()) {
      *o++ = '\r';
      *o++ = '\n';
      col = 0;
    }
  }
  if (final_crlf && !in.empty()) {
    *o++ = '\r';
    *o++ = '\n';
  }
  out.resize(static_cast<std::size_t>(o - out.data()));
}

std::string decode_quoted_printable(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  std::size_t pos = 0;
  while (pos < in.size()) {
    std::size_t nl = in.find('\n', pos);
    std::size_t end = nl == std::string_view::npos ? in.size() : nl;
    std::size_t ce = (end > pos && in[end - 1] == '\r') ? end - 1 : end;
    std::string_view line = in.substr(pos, ce - pos);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    bool soft = !line.empty() && line.back() == '=';
    if (soft) line.remove_suffix(1);
    for (std::size_t i = 0; i < line.size(); ++i) {
      int h, l;
      if (line[i] == '=' && i + 2 < line.size() && (h = hexval(line[i + 1])) >= 0 &&
          (l = hexval(line[i + 2])) >= 0) {
        out.push_back(static_cast<char>(h * 16 + l));
        i += 2;
      } else {
        out.push_back(line[i]);
      }
    }
    if (nl == std::string_view::npos) break;
    if (!soft) out.append(in.substr(ce, nl + 1 - ce));  // keep the line break as received
    pos = nl + 1;
  }
  return out;
}

std::string encode_quoted_printable(std::string_view in) {
  std::string out;
  out.reserve(in.size() + in.size() / 8);
  std::size_t col = 0;
  auto emit = [&](std::string_view tok) {
    if (col + tok.size() > 75) {
      out += "=\r\n";
      col = 0;
    }
    out += tok;
    col += tok.size();
  };
  for (std::size_t i = 0; i < in.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(in[i]);
    bool crlf = c == '\r' && i + 1 < in.size() && in[i + 1] == '\n';
    if (c == '\n' || crlf) {
      out += "\r\n";
      col = 0;
      if (crlf) ++i;
      continue;
    }
    bool at_eol = i + 1 == in.size() || in[i + 1] == '\n' || in[i + 1] == '\r';
    bool literal = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !at_eol);
    // Escape a leading '.' and "From " so relays and mbox tools leave the text alone.
    if (col == 0 && (c == '.' || (c == 'F' && in.substr(i, 5) == "From "))) literal = false;
    if (literal) {
      char ch = static_cast<char>(c);
      emit(std::string_view(&ch, 1));
    } else {
      char esc[3] = {'=', kHex[c >> 4], kHex[c & 15]};
      emit(std::string_view(esc, 3));
    }
  }
  return out;
}

core::Result<std::string> decode_transfer(std::string_view body, std::string_view cte,
                                          bool strict) {
  if (cte.empty() || iequals(cte, "7bit") || iequals(cte, "8bit") || iequals(cte, "binary"))
    return std::string(body);
  if (iequals(cte, "base64")) return decode_base64(body, strict);
  if (iequals(cte, "quoted-printable")) return decode_quoted_printable(body);
  return core::Error::make(errc::kUnsupportedEncoding, "unsupported Content-Transfer-Encoding");
}

core::Result<std::string> encode_transfer(std::string_view data, std::string_view cte) {
  if (cte.empty() || iequals(cte, "7bit") || iequals(cte, "8bit")) return canonical_crlf(data);
  if (iequals(cte, "binary")) return std::string(data);
  if (iequals(cte, "base64")) return encode_base64(data);
  if (iequals(cte, "quoted-printable")) return encode_quoted_printable(data);
  return core::Error::make(errc::kUnsupportedEncoding, "unsupported Content-Transfer-Encoding");
}

}  // namespace smimegw::mime
