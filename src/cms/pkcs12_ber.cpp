// cms/pkcs12 (private): bounded BER reader. See pkcs12_ber.hpp.
#include "pkcs12_ber.hpp"

#include <string>

#include "ber.hpp"

namespace smimegw::cms::pkcs12_detail {

void fail(std::string_view code, std::string message) {
  throw Failure(core::Error::make(std::string(code), std::move(message)));
}

namespace {

/// One element through the shared BER reader (ber.hpp), as a throwing PKCS#12 Tlv. Indefinite
/// lengths may nest down to max_depth in total; over it: limit_exceeded, other faults: malformed.
Tlv read_one(ByteView d, std::size_t depth, std::size_t max_depth, const char* what) {
  if (depth > max_depth) fail(kLimitExceeded, "ASN.1 nesting deeper than the limit");
  auto t = ber::read_tlv(d, max_depth + 1 - depth);
  if (!t) {
    if (t.error().code == kLimitExceeded)
      fail(kLimitExceeded, "ASN.1 nesting deeper than the limit");
    malformed(t.error().message + " in " + what);
  }
  if ((d[0] & 0x1F) == 0x1F) malformed(std::string("high tag number in ") + what);
  Tlv out;
  out.id = static_cast<std::uint8_t>(t->cls | (t->constructed ? 0x20 : 0) | t->tag);
  out.content = t->content;
  out.whole_size = t->whole.size();
  out.depth = depth;
  return out;
}

}  // namespace

Reader::Reader(ByteView data, std::size_t depth, std::size_t max_depth)
    : data_(data), depth_(depth), max_depth_(max_depth) {
  if (depth_ > max_depth_) fail(kLimitExceeded, "ASN.1 nesting deeper than the limit");
}

Reader Reader::children(const Tlv& parent) const {
  if (!parent.constructed()) malformed("expected a constructed element");
  return Reader(parent.content, parent.depth + 1, max_depth_);
}

Tlv Reader::next(const char* what) {
  if (empty()) malformed(std::string("missing ") + what);
  Tlv t = read_one(data_.subspan(pos_), depth_, max_depth_, what);
  pos_ += t.whole_size;
  return t;
}

Tlv Reader::expect(std::uint8_t id, const char* what) {
  Tlv t = next(what);
  if (t.id != id) malformed(std::string("unexpected tag in ") + what);
  return t;
}

Bytes Reader::expect_octets(const char* what) {
  Tlv t = next(what);
  if (t.id != tag::kOctetString && t.id != (tag::kOctetString | 0x20))
    malformed(std::string("unexpected tag in ") + what);
  return octets(t, max_depth_);
}

bool Reader::peek_is(std::uint8_t id) const {
  return !empty() && data_[pos_] == id;
}

void Reader::expect_end(const char* what) const {
  if (!empty()) malformed(std::string("trailing data after ") + what);
}

std::string oid_string(const Tlv& oid) {
  if (oid.id != tag::kOid) malformed("bad object identifier");
  ber::Tlv t;
  t.cls = ber::kUniversal;
  t.tag = ber::kOid;
  t.content = oid.content;
  auto s = ber::oid_string(t);
  if (!s) malformed(s.error().message);
  return *s;
}

std::uint64_t integer_value(const Tlv& t, const char* what) {
  if (t.id != tag::kInteger || t.content.empty()) malformed(std::string("bad INTEGER ") + what);
  if (t.content[0] & 0x80) malformed(std::string("negative ") + what);
  ByteView c = t.content;
  while (c.size() > 1 && c[0] == 0) c = c.subspan(1);
  if (c.size() > 8) fail(kLimitExceeded, std::string(what) + " is too large");
  std::uint64_t v = 0;
  for (std::uint8_t b : c) v = (v << 8) | b;
  return v;
}

namespace {
void append_octets(const Tlv& t, std::size_t max_depth, Bytes& out) {
  if (!t.constructed()) {
    out.insert(out.end(), t.content.begin(), t.content.end());
    return;
  }
  Reader r(t.content, t.depth + 1, max_depth);
  while (!r.empty()) {
    Tlv seg = r.next("OCTET STRING segment");
    if ((seg.id & 0x1F) != tag::kOctetString) malformed("bad constructed OCTET STRING");
    append_octets(seg, max_depth, out);
  }
}
}  // namespace

Bytes octets(const Tlv& t, std::size_t max_depth) {
  Bytes out;
  append_octets(t, max_depth, out);
  return out;
}

std::string bmp_to_utf8(ByteView bmp) {
  std::string out;
  auto put = [&out](std::uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  };
  for (std::size_t i = 0; i + 1 < bmp.size(); i += 2) {
    std::uint32_t u = (bmp[i] << 8) | bmp[i + 1];
    if (u >= 0xD800 && u < 0xDC00 && i + 3 < bmp.size()) {
      const std::uint32_t lo = (bmp[i + 2] << 8) | bmp[i + 3];
      if (lo >= 0xDC00 && lo < 0xE000) {
        put(0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00));
        i += 2;
        continue;
      }
    }
    if (u >= 0xD800 && u < 0xE000) u = 0xFFFD;
    if (u == 0 && i + 2 >= bmp.size()) break;  // a trailing NUL some writers add
    put(u);
  }
  return out;
}

namespace {
bool decode_utf8(std::string_view s, std::vector<std::uint32_t>& cps) {
  for (std::size_t i = 0; i < s.size();) {
    const auto b0 = static_cast<std::uint8_t>(s[i]);
    std::size_t n = b0 < 0x80         ? 1
                    : (b0 >> 5) == 6  ? 2
                    : (b0 >> 4) == 14 ? 3
                    : (b0 >> 3) == 30 ? 4
                                      : 0;
    if (n == 0 || i + n > s.size()) return false;
    std::uint32_t cp = n == 1 ? b0 : b0 & (0x7F >> n);
    for (std::size_t k = 1; k < n; ++k) {
      const auto b = static_cast<std::uint8_t>(s[i + k]);
      if ((b & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3F);
    }
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000)) return false;
    cps.push_back(cp);
    i += n;
  }
  return true;
}
}  // namespace

Bytes utf8_to_utf16be(std::string_view utf8) {
  std::vector<std::uint32_t> cps;
  if (!decode_utf8(utf8, cps)) {
    cps.clear();
    for (char c : utf8) cps.push_back(static_cast<std::uint8_t>(c));
  }
  Bytes out;
  auto unit = [&out](std::uint32_t u) {
    out.push_back(static_cast<std::uint8_t>(u >> 8));
    out.push_back(static_cast<std::uint8_t>(u));
  };
  for (std::uint32_t cp : cps) {
    if (cp >= 0x10000) {
      cp -= 0x10000;
      unit(0xD800 + (cp >> 10));
      unit(0xDC00 + (cp & 0x3FF));
    } else {
      unit(cp);
    }
  }
  return out;
}

}  // namespace smimegw::cms::pkcs12_detail
