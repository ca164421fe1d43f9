// mime: charset conversion with GMime's iconv wrapper (it knows the charset aliases mail uses).
#include "smimegw/mime/charset.hpp"

#include <iconv.h>

#include <cerrno>

#include "gmime_init.hpp"
#include "smimegw/core/utf8.hpp"
#include "smimegw/mime/error_codes.hpp"
#include "smimegw/mime/header_field.hpp"

namespace smimegw::mime {
namespace {

bool is_utf8_name(std::string_view cs) {
  return iequals(cs, "utf-8") || iequals(cs, "utf8");
}
bool is_ascii_name(std::string_view cs) {
  return cs.empty() || iequals(cs, "us-ascii") || iequals(cs, "ascii");
}

core::Result<std::string> convert(std::string_view in, const std::string& to,
                                  const std::string& from) {
  detail::ensure_gmime();
  iconv_t cd = g_mime_iconv_open(to.c_str(), from.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1))
    return core::Error::make(errc::kUnknownCharset,
                             "unknown charset " + (is_utf8_name(to) ? from : to));
  std::string out;
  out.resize(in.size() * 4 + 16);
  char* inp = const_cast<char*>(in.data());
  std::size_t inleft = in.size();
  char* outp = out.data();
  std::size_t outleft = out.size();
  bool failed = false;
  while (inleft > 0) {
    std::size_t r = iconv(cd, &inp, &inleft, &outp, &outleft);
    if (r != static_cast<std::size_t>(-1)) {
      if (r > 0 && !is_utf8_name(to)) failed = true;  // lossy (non-reversible) conversion
      break;
    }
    if (errno == E2BIG) {
      std::size_t used = outp - out.data();
      out.resize(out.size() * 2);
      outp = out.data() + used;
      outleft = out.size() - used;
      continue;
    }
    failed = true;  // EILSEQ or EINVAL
    break;
  }
  if (!failed) iconv(cd, nullptr, nullptr, &outp, &outleft);
  out.resize(outp - out.data());
  g_mime_iconv_close(cd);
  if (failed) return core::Error::make(errc::kBadCharset, "text not representable in " + to);
  return out;
}

}  // namespace

bool is_ascii(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

core::Result<std::string> to_utf8(std::string_view in, std::string_view charset) {
  if (is_ascii(in) && (is_ascii_name(charset) || is_utf8_name(charset))) return std::string(in);
  if (is_utf8_name(charset) || is_ascii_name(charset)) {
    if (core::valid_utf8(in)) return std::string(in);  // 8-bit in "us-ascii" is usually UTF-8
    if (is_utf8_name(charset)) return core::Error::make(errc::kBadCharset, "invalid UTF-8");
    return convert(in, "UTF-8", "ISO-8859-1");
  }
  return convert(in, "UTF-8", std::string(charset));
}

core::Result<std::string> from_utf8(std::string_view utf8, std::string_view charset) {
  if (is_utf8_name(charset)) return std::string(utf8);
  if (is_ascii_name(charset)) {
    if (is_ascii(utf8)) return std::string(utf8);
    return core::Error::make(errc::kBadCharset, "text not representable in us-ascii");
  }
  return convert(utf8, std::string(charset), "UTF-8");
}

}  // namespace smimegw::mime
