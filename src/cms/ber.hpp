// cms (private): a zero-copy BER reader over a byte span. Every element is a view into the
// caller's buffer; indefinite lengths are resolved by walking to the matching end-of-contents.
// Malformed input yields an Error, never an exception, and never reads outside the span.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "smimegw/cms/limits.hpp"
#include "smimegw/core/result.hpp"

namespace smimegw::cms::ber {

using Bytes = std::span<const std::uint8_t>;

enum : std::uint8_t { kUniversal = 0x00, kApplication = 0x40, kContext = 0x80, kPrivate = 0xC0 };
enum : std::uint32_t {
  kInteger = 2,
  kBitString = 3,
  kOctetString = 4,
  kNull = 5,
  kOid = 6,
  kSequence = 16,
  kSet = 17,
  kUtcTime = 23,
  kGeneralizedTime = 24
};

struct Tlv {
  std::uint8_t cls = 0;
  bool constructed = false;
  std::uint32_t tag = 0;
  bool indefinite = false;
  Bytes whole;    ///< header + content (+ EOC)
  Bytes content;  ///< content only
  bool is(std::uint8_t c, std::uint32_t t) const { return cls == c && tag == t; }
  bool is_universal(std::uint32_t t) const { return cls == kUniversal && tag == t; }
};

core::Error error(std::string_view code, std::string message);

/// Reads the element at the start of `data`. `depth_left` bounds indefinite-length recursion.
core::Result<Tlv> read_tlv(Bytes data, std::size_t depth_left = 64);

/// Walks the whole tree enforcing limits (depth, element count, lengths). Input must be exactly
/// one element (trailing zero padding tolerated).
core::Status validate(Bytes data, const Limits& limits);

/// Sequential reader over the content of a constructed element.
class Reader {
 public:
  explicit Reader(Bytes content) : rest_(content) {}
  bool at_end() const { return rest_.empty(); }
  core::Result<Tlv> next();
  /// Next element if it has the given class/tag, nothing otherwise (errors are reported too).
  std::optional<Tlv> next_if(std::uint8_t cls, std::uint32_t tag);
  /// Next element, which must have class/tag; `what` names it in the error.
  core::Result<Tlv> expect(std::uint8_t cls, std::uint32_t tag, std::string_view what);

 private:
  Bytes rest_;
};

core::Result<std::string> oid_string(const Tlv& t);
core::Result<long> small_int(const Tlv& t);
/// INTEGER magnitude without leading zero bytes (serial numbers).
core::Result<std::vector<std::uint8_t>> unsigned_int(const Tlv& t);
/// OCTET STRING value; primitive → view into the input, constructed → concatenated into storage.
core::Result<Bytes> octets(const Tlv& t, std::vector<std::uint8_t>& storage, std::size_t depth = 8);
core::Result<std::vector<std::uint8_t>> octets_copy(const Tlv& t);
/// Elements of a constructed value (SET OF / SEQUENCE OF), at most `max`.
core::Result<std::vector<Tlv>> children(const Tlv& t, std::size_t max);

struct AlgId {
  std::string oid;
  std::optional<Tlv> params;  ///< absent; NULL is kept as a Tlv
  Bytes whole;
};
core::Result<AlgId> alg_id(const Tlv& t);

}  // namespace smimegw::cms::ber
