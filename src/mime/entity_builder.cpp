// mime: leaf and multipart entity builders (RFC 2045/2046), canonical CRLF, 7-bit safe.
#include "smimegw/mime/entity_builder.hpp"

#include <fstream>
#include <random>

#include "smimegw/mime/canonical.hpp"
#include "smimegw/mime/transfer_encoding.hpp"

namespace smimegw::mime {
namespace {

struct TextStats {
  bool eight_bit = false, nul = false, bare_cr = false;
  std::size_t longest = 0;
};

TextStats scan(std::string_view d) {
  TextStats s;
  std::size_t col = 0;
  for (std::size_t i = 0; i < d.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(d[i]);
    if (c == '\n') {
      s.longest = std::max(s.longest, col);
      col = 0;
      continue;
    }
    if (c == '\r') {
      if (i + 1 < d.size() && d[i + 1] == '\n') continue;
      s.bare_cr = true;
    }
    if (c == 0) s.nul = true;
    if (c >= 0x80) s.eight_bit = true;
    ++col;
  }
  s.longest = std::max(s.longest, col);
  return s;
}

// A boundary needs to be unlikely in the content (make_boundary checks it is absent), not secret:
// one generator per thread, seeded once from std::random_device, instead of a random_device (a
// system call per draw) per boundary, which showed in the cost of signing small messages.
std::string random_token() {
  static const char kAlnum[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  thread_local std::mt19937_64 gen = [] {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd()};
    return std::mt19937_64(seq);
  }();
  std::string t;
  for (int i = 0; i < 24; ++i) t.push_back(kAlnum[gen() % 62]);
  return t;
}

}  // namespace

std::string choose_transfer_encoding(const ContentType& type, std::string_view data) {
  TextStats s = scan(data);
  bool textual = type.type == "text" || type.is(std::string_view("message"), "rfc822");
  if (!textual || s.nul || s.bare_cr) return "base64";
  if (s.eight_bit || s.longest > 998) return "quoted-printable";
  return "7bit";
}

core::Result<std::string> build_leaf(const ContentType& type, std::string_view data,
                                     const LeafOptions& opt) {
  std::string cte = opt.force_encoding ? *opt.force_encoding : choose_transfer_encoding(type, data);
  HeaderBlock h;
  if (auto s = h.add("Content-Type", type.str()); !s) return s.error();
  if (auto s = h.add("Content-Transfer-Encoding", cte); !s) return s.error();
  if (opt.disposition) {
    std::string v = *opt.disposition;
    if (opt.filename) {
      Parameters p;
      p.set("filename", *opt.filename);
      ContentType tmp{"x", "x", p};
      v += tmp.str().substr(3);  // "; filename=..."
    }
    if (auto s = h.add("Content-Disposition", v); !s) return s.error();
  }
  for (const auto& f : opt.extra.fields()) h.append(f);
  auto body = encode_transfer(data, cte);
  if (!body) return body.error();
  return h.str() + "\r\n" + *body;
}

std::string make_boundary(const std::vector<std::string_view>& contents) {
  for (;;) {
    std::string b = "=_smimegw_" + random_token();
    bool clash = false;
    for (std::string_view c : contents)
      if (c.find(b) != std::string_view::npos) clash = true;
    if (!clash) return b;
  }
}

std::string build_multipart(std::string_view subtype, const std::vector<std::string_view>& children,
                            const Parameters& extra_params) {
  std::string boundary = make_boundary(children);
  ContentType ct{"multipart", std::string(subtype), extra_params};
  ct.params.set("boundary", boundary);
  HeaderBlock h;
  (void)h.add("Content-Type", ct.str());
  std::string out = h.str() + "\r\n";
  for (std::string_view c : children) out += "--" + boundary + "\r\n" + std::string(c) + "\r\n";
  out += "--" + boundary + "--\r\n";
  return out;
}

}  // namespace smimegw::mime
