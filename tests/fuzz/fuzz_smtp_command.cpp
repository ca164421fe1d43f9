// libFuzzer target: smtp_command (scripts/fuzz.sh smtp_command SECONDS) — the pure SMTP parsers.
// Every line of the input goes through parse_command and, whatever its verb, the MAIL and RCPT
// argument parsers; xtext must round-trip (decode(encode(x)) == x, and what decodes re-encodes to
// something that decodes to the same). The whole input is also a DATA stream: fed at once and fed
// in chunks (sizes taken from the first byte) it must decode identically, store only CRLF line
// endings, and consume exactly up to the end marker.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "smimegw/smtp/command.hpp"
#include "smimegw/smtp/data_decoder.hpp"

namespace {

using namespace smimegw::smtp;

void check(bool ok) {
  if (!ok) std::abort();
}

/// A parsed path: at most 256 octets (RFC 5321 §4.5.3.1.3), no control characters.
bool path_ok(const std::string& a) {
  if (a.size() > 256) return false;
  for (unsigned char c : a)
    if (c < 0x20 || c == 0x7f) return false;
  return true;
}

void commands(std::string_view in) {
  std::size_t pos = 0;
  while (pos <= in.size()) {
    std::size_t lf = in.find('\n', pos);
    std::string_view line = in.substr(pos, lf == std::string_view::npos ? lf : lf - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const Command c = parse_command(line);
    check(c.verb != Verb::Unknown || c.name.size() <= 16);
    if (auto m = parse_mail_from(c.arg); m) check(path_ok(m->address));
    if (auto r = parse_rcpt_to(c.arg, false); r) check(path_ok(r->recipient.address));
    if (auto r = parse_rcpt_to(c.arg, true); r) check(path_ok(r->recipient.address));
    if (lf == std::string_view::npos) break;
    pos = lf + 1;
  }
}

void xtext(std::string_view in) {
  auto enc = xtext_encode(in);
  auto back = xtext_decode(enc);
  check(back.ok() && *back == in);
  if (auto dec = xtext_decode(in); dec) {
    auto again = xtext_decode(xtext_encode(*dec));
    check(again.ok() && *again == *dec);
  }
}

struct Decoded {
  std::size_t used = 0;
  bool done = false, too_big = false, too_long = false, bare = false;
  std::string message;
  std::uint64_t wire = 0;
};

Decoded decode(std::string_view in, std::size_t chunk) {
  DataDecoder d(4096, 1000);
  Decoded out;
  while (out.used < in.size() && !d.done()) {
    auto piece = in.substr(out.used, chunk);
    std::size_t n = d.feed(piece);
    check(n <= piece.size());
    check(n == piece.size() || d.done());
    out.used += n;
  }
  out.done = d.done();
  out.too_big = d.too_big();
  out.too_long = d.line_too_long();
  out.bare = d.bare_newline();
  out.wire = d.wire_bytes();
  out.message = d.message();
  return out;
}

void data(std::string_view in, std::size_t chunk) {
  const Decoded whole = decode(in, in.size() ? in.size() : 1);
  const Decoded parts = decode(in, chunk);
  check(whole.used == parts.used && whole.done == parts.done && whole.too_long == parts.too_long &&
        whole.wire == parts.wire);
  // too_big and bare are final only once the end marker is seen: before that, a pending
  // over-long line is stored (and its bare CRs noticed) in pieces that depend on where the chunks
  // fell.
  if (!whole.done) return;
  check(whole.too_big == parts.too_big && whole.bare == parts.bare);
  check(whole.message == parts.message);
  check(whole.message.size() <= 4096);
  if (whole.too_big) check(whole.message.empty());
  const auto& m = whole.message;
  for (std::size_t i = 0; i < m.size(); ++i) {
    if (m[i] == '\n') check(i > 0 && m[i - 1] == '\r');
    if (m[i] == '\r') check(i + 1 < m.size() && m[i + 1] == '\n');
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  if (size > 65536) return 0;
  const std::string_view in(reinterpret_cast<const char*>(bytes), size);
  commands(in);
  xtext(in.substr(0, 512));
  const std::size_t chunk = size ? 1 + bytes[0] % 17 : 1;
  data(in, chunk);
  return 0;
}
