// cms/pkcs12 (private): a throwing view of the shared BER reader (ber.hpp), a DER writer and the
// internal failure type.
//
// Inside the PKCS#12 code a failure is thrown as `pkcs12_detail::Failure` carrying the final
// core::Error; parse_pkcs12/export_pkcs12 catch it (and every std::exception) at the module edge.
// Elements are read by ber::read_tlv, the one BER reader of the cms module: definite and
// indefinite lengths (NSS and Windows write BER), lengths checked against the buffer, indefinite
// nesting bounded; on top of it this view rejects high-tag-number identifiers and nesting deeper
// than Pkcs12Limits::max_depth (limit_exceeded), and throws instead of returning errors.
#pragma once

#include <cstdint>
#include <exception>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "smimegw/core/error.hpp"

namespace smimegw::cms::pkcs12_detail {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline constexpr std::string_view kWrongPassword = "wrong_password";
inline constexpr std::string_view kMacMismatch = "mac_mismatch";
inline constexpr std::string_view kUnsupported = "unsupported_algorithm";
inline constexpr std::string_view kMalformed = "malformed";
inline constexpr std::string_view kLimitExceeded = "limit_exceeded";  ///< same code as cms::errc
/// Internal only: a CBC padding / decryption failure, mapped by the caller.
inline constexpr std::string_view kDecryptFailed = "decrypt_failed";

class Failure : public std::exception {
 public:
  explicit Failure(core::Error e) : error_(std::move(e)) {}
  const core::Error& error() const { return error_; }
  const char* what() const noexcept override { return error_.message.c_str(); }

 private:
  core::Error error_;
};

[[noreturn]] void fail(std::string_view code, std::string message);
[[noreturn]] inline void malformed(std::string message) {
  fail(kMalformed, std::move(message));
}

namespace tag {
inline constexpr std::uint8_t kInteger = 0x02;
inline constexpr std::uint8_t kOctetString = 0x04;
inline constexpr std::uint8_t kNull = 0x05;
inline constexpr std::uint8_t kOid = 0x06;
inline constexpr std::uint8_t kBmpString = 0x1E;
inline constexpr std::uint8_t kSequence = 0x30;
inline constexpr std::uint8_t kSet = 0x31;
inline constexpr std::uint8_t kContext0 = 0xA0;      ///< [0] constructed
inline constexpr std::uint8_t kContext0Prim = 0x80;  ///< [0] primitive
}  // namespace tag

struct Tlv {
  std::uint8_t id = 0;         ///< identifier octet: class | constructed | number (< 31)
  ByteView content;            ///< for indefinite length: up to, not including, the end-of-contents
  std::size_t whole_size = 0;  ///< header + content (+ end-of-contents)
  std::size_t depth = 0;
  bool constructed() const { return (id & 0x20) != 0; }
};

/// Reads consecutive elements from a span, at a given nesting depth.
class Reader {
 public:
  Reader(ByteView data, std::size_t depth, std::size_t max_depth);
  /// The elements inside a constructed element.
  Reader children(const Tlv& parent) const;
  bool empty() const { return pos_ >= data_.size(); }
  Tlv next(const char* what);
  Tlv expect(std::uint8_t id, const char* what);
  /// An OCTET STRING, primitive or constructed (BER), as its bytes.
  Bytes expect_octets(const char* what);
  bool peek_is(std::uint8_t id) const;
  void expect_end(const char* what) const;
  std::size_t max_depth() const { return max_depth_; }

 private:
  ByteView data_;
  std::size_t pos_ = 0;
  std::size_t depth_;
  std::size_t max_depth_;
};

/// Dotted decimal of an OID element's content.
std::string oid_string(const Tlv& oid);
/// A non-negative INTEGER that fits in 64 bits.
std::uint64_t integer_value(const Tlv& integer, const char* what);
/// The bytes of an OCTET STRING (or [n] IMPLICIT one), concatenating constructed segments.
Bytes octets(const Tlv& t, std::size_t max_depth);
/// BMPString (UTF-16BE) → UTF-8; unpaired surrogates become U+FFFD.
std::string bmp_to_utf8(ByteView bmp);
/// UTF-8 → UTF-16BE code units (invalid UTF-8 is taken as Latin-1).
Bytes utf8_to_utf16be(std::string_view utf8);

// DER writer.
Bytes der(std::uint8_t id, ByteView content);
Bytes der_seq(std::initializer_list<ByteView> parts);
Bytes der_oid(std::string_view dotted);
Bytes der_uint(std::uint64_t v);
Bytes der_octets(ByteView v);
/// SET OF: elements sorted by their encodings (X.690 11.6).
Bytes der_set(std::vector<Bytes> elements);
inline ByteView view(const Bytes& b) {
  return ByteView(b.data(), b.size());
}

}  // namespace smimegw::cms::pkcs12_detail
