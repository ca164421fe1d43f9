// cms/pkcs12 (private): the minimal DER writer export needs. See pkcs12_ber.hpp.
#include <algorithm>
#include <charconv>

#include "pkcs12_ber.hpp"

namespace smimegw::cms::pkcs12_detail {

Bytes der(std::uint8_t id, ByteView content) {
  Bytes out{id};
  const std::size_t n = content.size();
  if (n < 0x80) {
    out.push_back(static_cast<std::uint8_t>(n));
  } else {
    Bytes len;
    for (std::size_t v = n; v; v >>= 8) len.insert(len.begin(), static_cast<std::uint8_t>(v));
    out.push_back(static_cast<std::uint8_t>(0x80 | len.size()));
    out.insert(out.end(), len.begin(), len.end());
  }
  out.insert(out.end(), content.begin(), content.end());
  return out;
}

Bytes der_seq(std::initializer_list<ByteView> parts) {
  Bytes body;
  for (ByteView p : parts) body.insert(body.end(), p.begin(), p.end());
  return der(tag::kSequence, body);
}

Bytes der_oid(std::string_view dotted) {
  std::vector<std::uint64_t> arcs;
  std::size_t pos = 0;
  while (pos <= dotted.size()) {
    const std::size_t dot = std::min(dotted.find('.', pos), dotted.size());
    std::uint64_t v = 0;
    std::from_chars(dotted.data() + pos, dotted.data() + dot, v);
    arcs.push_back(v);
    pos = dot + 1;
  }
  Bytes body;
  auto put = [&body](std::uint64_t v) {
    Bytes tmp{static_cast<std::uint8_t>(v & 0x7F)};
    for (v >>= 7; v; v >>= 7) tmp.insert(tmp.begin(), static_cast<std::uint8_t>(0x80 | (v & 0x7F)));
    body.insert(body.end(), tmp.begin(), tmp.end());
  };
  put(arcs.at(0) * 40 + arcs.at(1));
  for (std::size_t i = 2; i < arcs.size(); ++i) put(arcs[i]);
  return der(tag::kOid, body);
}

Bytes der_uint(std::uint64_t v) {
  Bytes body;
  do {
    body.insert(body.begin(), static_cast<std::uint8_t>(v & 0xFF));
    v >>= 8;
  } while (v);
  if (body[0] & 0x80) body.insert(body.begin(), 0);
  return der(tag::kInteger, body);
}

Bytes der_octets(ByteView v) {
  return der(tag::kOctetString, v);
}

Bytes der_set(std::vector<Bytes> elements) {
  std::sort(elements.begin(), elements.end());
  Bytes body;
  for (const Bytes& e : elements) body.insert(body.end(), e.begin(), e.end());
  return der(tag::kSet, body);
}

}  // namespace smimegw::cms::pkcs12_detail
