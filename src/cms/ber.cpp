// cms (private): BER reader, see ber.hpp. The only BER reader of the module: CMS decoding uses
// it directly, PKCS#12 through the throwing view in pkcs12_ber.cpp.
#include "ber.hpp"

#include <algorithm>

namespace smimegw::cms::ber {

core::Error error(std::string_view code, std::string message) {
  return core::Error::make(std::string(code), std::move(message));
}

namespace {

constexpr std::string_view kMalformedCode = "malformed";
constexpr std::string_view kTruncatedCode = "truncated";

struct Header {
  std::uint8_t cls;
  bool constructed;
  std::uint32_t tag;
  bool indefinite;
  std::size_t header_len;
  std::size_t length;  // when definite
};

core::Result<Header> read_header(Bytes d) {
  if (d.empty()) return error(kTruncatedCode, "ASN.1: unexpected end of input");
  Header h{};
  std::size_t i = 0;
  const std::uint8_t b0 = d[i++];
  h.cls = b0 & 0xC0;
  h.constructed = (b0 & 0x20) != 0;
  std::uint32_t tag = b0 & 0x1F;
  if (tag == 0x1F) {
    tag = 0;
    for (int n = 0;; ++n) {
      if (i >= d.size()) return error(kTruncatedCode, "ASN.1: truncated tag");
      if (n >= 4) return error(kMalformedCode, "ASN.1: tag number too large");
      const std::uint8_t b = d[i++];
      tag = (tag << 7) | (b & 0x7F);
      if (!(b & 0x80)) break;
    }
  }
  h.tag = tag;
  if (i >= d.size()) return error(kTruncatedCode, "ASN.1: truncated length");
  const std::uint8_t l0 = d[i++];
  if (l0 < 0x80) {
    h.length = l0;
  } else if (l0 == 0x80) {
    if (!h.constructed) return error(kMalformedCode, "ASN.1: indefinite length on primitive");
    h.indefinite = true;
  } else {
    const std::size_t n = l0 & 0x7F;
    if (n > 4) return error(kMalformedCode, "ASN.1: length field too large");
    if (d.size() - i < n) return error(kTruncatedCode, "ASN.1: truncated length");
    std::size_t len = 0;
    for (std::size_t k = 0; k < n; ++k) len = (len << 8) | d[i++];
    h.length = len;
  }
  h.header_len = i;
  if (!h.indefinite && d.size() - i < h.length)
    return error(kTruncatedCode, "ASN.1: declared length exceeds the available data");
  return h;
}

bool is_eoc(Bytes d) {
  return d.size() >= 2 && d[0] == 0 && d[1] == 0;
}

}  // namespace

core::Result<Tlv> read_tlv(Bytes data, std::size_t depth_left) {
  auto h = read_header(data);
  if (!h) return h.error();
  Tlv t;
  t.cls = h->cls;
  t.constructed = h->constructed;
  t.tag = h->tag;
  t.indefinite = h->indefinite;
  if (!h->indefinite) {
    t.content = data.subspan(h->header_len, h->length);
    t.whole = data.subspan(0, h->header_len + h->length);
    return t;
  }
  if (depth_left == 0) return error("limit_exceeded", "ASN.1: nesting too deep");
  std::size_t pos = h->header_len;
  for (;;) {
    Bytes rest = data.subspan(pos);
    if (rest.size() < 2) return error(kTruncatedCode, "ASN.1: missing end-of-contents");
    if (is_eoc(rest)) break;
    auto child = read_tlv(rest, depth_left - 1);
    if (!child) return child.error();
    pos += child->whole.size();
  }
  t.content = data.subspan(h->header_len, pos - h->header_len);
  t.whole = data.subspan(0, pos + 2);
  return t;
}

namespace {

core::Status walk(Bytes content, std::size_t depth, const Limits& limits, std::size_t& count) {
  if (depth > limits.max_depth) return error("limit_exceeded", "ASN.1: nesting deeper than limit");
  while (!content.empty()) {
    auto t = read_tlv(content, limits.max_depth - std::min(depth, limits.max_depth));
    if (!t) {
      // Inside a definite-length parent, running out of data means the parent lied.
      if (t.error().code == kTruncatedCode && depth > 0)
        return error(kMalformedCode, "ASN.1: element overruns its parent");
      return t.error();
    }
    if (++count > limits.max_elements)
      return error("limit_exceeded", "ASN.1: more elements than the limit");
    if (t->constructed) {
      auto s = walk(t->content, depth + 1, limits, count);
      if (!s) return s;
    }
    content = content.subspan(t->whole.size());
    if (depth == 0) break;
  }
  return {};
}

}  // namespace

core::Status validate(Bytes data, const Limits& limits) {
  if (data.size() > limits.max_input_bytes)
    return error("limit_exceeded", "CMS: input larger than the limit");
  if (data.empty()) return error(kTruncatedCode, "CMS: empty input");
  std::size_t count = 0;
  auto s = walk(data, 0, limits, count);
  if (!s) return s;
  auto top = read_tlv(data, limits.max_depth);
  if (!top) return top.error();
  Bytes trailing = data.subspan(top->whole.size());
  if (!std::all_of(trailing.begin(), trailing.end(), [](std::uint8_t b) { return b == 0; }))
    return error(kMalformedCode, "CMS: trailing data after the message");
  return {};
}

core::Result<Tlv> Reader::next() {
  if (rest_.empty()) return error(kMalformedCode, "ASN.1: missing element");
  auto t = read_tlv(rest_);
  if (!t) {
    if (t.error().code == kTruncatedCode) return error(kMalformedCode, t.error().message);
    return t.error();
  }
  rest_ = rest_.subspan(t->whole.size());
  return t;
}

std::optional<Tlv> Reader::next_if(std::uint8_t cls, std::uint32_t tag) {
  if (rest_.empty()) return std::nullopt;
  auto t = read_tlv(rest_);
  if (!t || !t->is(cls, tag)) return std::nullopt;
  rest_ = rest_.subspan(t->whole.size());
  return *t;
}

core::Result<Tlv> Reader::expect(std::uint8_t cls, std::uint32_t tag, std::string_view what) {
  auto t = next();
  if (!t) return t.error();
  if (!t->is(cls, tag))
    return error(kMalformedCode, "CMS: unexpected element for " + std::string(what));
  return t;
}

core::Result<std::string> oid_string(const Tlv& t) {
  // 64 bytes hold any real OID (the longest registered ones are ~40); a leading 0x80 in an arc
  // is a non-minimal encoding (X.690 8.19.2).
  if (!t.is_universal(kOid) || t.constructed || t.content.empty() || t.content.size() > 64)
    return error(kMalformedCode, "ASN.1: bad OBJECT IDENTIFIER");
  std::string out;
  std::uint64_t v = 0;
  bool first = true;
  for (std::size_t i = 0; i < t.content.size(); ++i) {
    const std::uint8_t b = t.content[i];
    if (v == 0 && b == 0x80) return error(kMalformedCode, "ASN.1: non-minimal OID arc");
    if (v > (std::uint64_t{1} << 56)) return error(kMalformedCode, "ASN.1: OID arc too large");
    v = (v << 7) | (b & 0x7F);
    if (b & 0x80) {
      if (i + 1 == t.content.size()) return error(kMalformedCode, "ASN.1: truncated OID arc");
      continue;
    }
    if (first) {
      const std::uint64_t a = v < 40 ? 0 : (v < 80 ? 1 : 2);
      out = std::to_string(a) + "." + std::to_string(v - 40 * a);
      first = false;
    } else {
      out += "." + std::to_string(v);
    }
    v = 0;
  }
  return out;
}

core::Result<long> small_int(const Tlv& t) {
  if (!t.is_universal(kInteger) || t.constructed || t.content.empty() || t.content.size() > 4 ||
      (t.content[0] & 0x80))
    return error(kMalformedCode, "ASN.1: bad small INTEGER");
  long v = 0;
  for (auto b : t.content) v = (v << 8) | b;
  return v;
}

core::Result<std::vector<std::uint8_t>> unsigned_int(const Tlv& t) {
  if (!t.is_universal(kInteger) || t.constructed || t.content.empty())
    return error(kMalformedCode, "ASN.1: bad INTEGER");
  std::size_t i = 0;
  while (i + 1 < t.content.size() && t.content[i] == 0) ++i;
  return std::vector<std::uint8_t>(t.content.begin() + i, t.content.end());
}

core::Result<Bytes> octets(const Tlv& t, std::vector<std::uint8_t>& storage, std::size_t depth) {
  if (!t.constructed) return t.content;
  if (depth == 0) return error(kMalformedCode, "ASN.1: OCTET STRING nested too deep");
  // Size first so the concatenation allocates once (25 MiB messages arrive chunked).
  std::vector<std::uint8_t> local;
  Reader r(t.content);
  while (!r.at_end()) {
    auto c = r.next();
    if (!c) return c.error();
    if (!c->is_universal(kOctetString))
      return error(kMalformedCode, "ASN.1: constructed OCTET STRING holds a non-OCTET STRING");
    if (c->constructed) {
      std::vector<std::uint8_t> sub;
      auto s = octets(*c, sub, depth - 1);
      if (!s) return s.error();
      local.insert(local.end(), s->begin(), s->end());
    } else {
      if (local.empty()) local.reserve(t.content.size());
      local.insert(local.end(), c->content.begin(), c->content.end());
    }
  }
  storage = std::move(local);
  return Bytes(storage);
}

core::Result<std::vector<std::uint8_t>> octets_copy(const Tlv& t) {
  std::vector<std::uint8_t> storage;
  auto s = octets(t, storage);
  if (!s) return s.error();
  if (s->data() == storage.data()) return storage;
  return std::vector<std::uint8_t>(s->begin(), s->end());
}

core::Result<std::vector<Tlv>> children(const Tlv& t, std::size_t max) {
  if (!t.constructed) return error(kMalformedCode, "ASN.1: expected a constructed element");
  std::vector<Tlv> out;
  Reader r(t.content);
  while (!r.at_end()) {
    auto c = r.next();
    if (!c) return c.error();
    if (out.size() >= max) return error("limit_exceeded", "CMS: too many elements in a set");
    out.push_back(*c);
  }
  return out;
}

core::Result<AlgId> alg_id(const Tlv& t) {
  if (!t.is_universal(kSequence) || !t.constructed)
    return error(kMalformedCode, "CMS: bad AlgorithmIdentifier");
  Reader r(t.content);
  auto o = r.next();
  if (!o) return o.error();
  auto s = oid_string(*o);
  if (!s) return s.error();
  AlgId a;
  a.oid = *s;
  a.whole = t.whole;
  if (!r.at_end()) {
    auto p = r.next();
    if (!p) return p.error();
    a.params = *p;
  }
  if (!r.at_end()) return error(kMalformedCode, "CMS: extra data in AlgorithmIdentifier");
  return a;
}

}  // namespace smimegw::cms::ber
