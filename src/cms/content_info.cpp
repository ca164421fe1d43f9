// cms: ContentInfo decode/encode (content_info.hpp).
#include "smimegw/cms/content_info.hpp"

#include <botan/base64.h>

#include <string>

#include "ber.hpp"
#include "der.hpp"
#include "smimegw/cms/errors.hpp"

namespace smimegw::cms {

core::Result<ContentInfoView> parse_content_info(std::span<const std::uint8_t> data,
                                                 const Limits& limits) {
  if (!data.empty() && data[0] != 0x30)
    return ber::error(errc::kMalformed,
                      "CMS: input does not start with a SEQUENCE (not DER/BER CMS)");
  auto v = ber::validate(data, limits);
  if (!v) return v.error();
  auto top = ber::read_tlv(data, limits.max_depth);
  if (!top) return top.error();
  if (!top->is_universal(ber::kSequence) || !top->constructed)
    return ber::error(errc::kMalformed, "CMS: ContentInfo is not a SEQUENCE");
  ber::Reader r(top->content);
  auto t = r.next();
  if (!t) return t.error();
  auto type = ber::oid_string(*t);
  if (!type) return type.error();
  auto explicit0 = r.expect(ber::kContext, 0, "ContentInfo.content");
  if (!explicit0) return explicit0.error();
  ber::Reader inner(explicit0->content);
  auto content = inner.next();
  if (!content) return content.error();
  return ContentInfoView{*type, content->whole};
}

std::vector<std::uint8_t> encode_content_info(std::string_view content_type_oid,
                                              std::span<const std::uint8_t> inner_der) {
  std::vector<der::Node> wrap;
  wrap.push_back(der::Node::raw_ref(inner_der));
  std::vector<der::Node> seq;
  seq.push_back(der::oid(content_type_oid));
  seq.push_back(der::Node::cons(der::ctx(0, true), std::move(wrap)));
  return der::Node::cons(der::kSequence, std::move(seq)).encode();
}

core::Result<std::vector<std::uint8_t>> pem_to_der(std::span<const std::uint8_t> in) {
  const std::string_view s(reinterpret_cast<const char*>(in.data()), in.size());
  const auto begin = s.find("-----BEGIN ");
  if (begin == std::string_view::npos) return std::vector<std::uint8_t>(in.begin(), in.end());
  const auto body = s.find('\n', begin);
  const auto end = s.find("-----END ", begin);
  if (body == std::string_view::npos || end == std::string_view::npos || end < body)
    return ber::error(errc::kTruncated, "PEM: missing END line");
  try {
    auto out = Botan::base64_decode(std::string(s.substr(body + 1, end - body - 1)), true);
    return std::vector<std::uint8_t>(out.begin(), out.end());
  } catch (const std::exception&) {
    return ber::error(errc::kMalformed, "PEM: bad base64");
  }
}

}  // namespace smimegw::cms
