// cms (private): a DER writer that builds a tree of nodes and serialises it once, so a large
// content (25 MiB) is copied exactly once into the output instead of once per nesting level.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

namespace smimegw::cms::der {

using Bytes = std::span<const std::uint8_t>;

enum : std::uint8_t {
  kInteger = 0x02,
  kBitString = 0x03,
  kOctetString = 0x04,
  kNull = 0x05,
  kOid = 0x06,
  kUtcTime = 0x17,
  kGeneralizedTime = 0x18,
  kSequence = 0x30,
  kSet = 0x31
};
constexpr std::uint8_t ctx(unsigned n, bool constructed) {
  return static_cast<std::uint8_t>(0x80 | (constructed ? 0x20 : 0) | n);
}

class Node {
 public:
  Node() = default;
  Node(const Node&) = delete;  // data_ may point into owned_: copying would alias
  Node& operator=(const Node&) = delete;
  Node(Node&&) noexcept = default;
  Node& operator=(Node&&) noexcept = default;

  /// A primitive or constructed element with `tag` (single-byte identifier) over raw content.
  static Node prim(std::uint8_t tag, std::vector<std::uint8_t> content);
  /// Like prim, but borrows the content (must outlive encode()).
  static Node prim_ref(std::uint8_t tag, Bytes content);
  /// Already encoded element(s), copied / borrowed verbatim.
  static Node raw(std::vector<std::uint8_t> encoded);
  static Node raw_ref(Bytes encoded);
  /// A primitive element whose `size` content bytes are filled in after encoding: write()
  /// emits the header and `size` zero bytes and stores their offset in `*offset` (which must
  /// outlive write()). Lets a large value be produced in place inside the final buffer.
  static Node hole(std::uint8_t tag, std::size_t size, std::size_t* offset);
  static Node cons(std::uint8_t tag, std::vector<Node> children);
  /// SET OF with DER ordering (children sorted by their encodings).
  static Node set_of(std::vector<Node> children);

  std::size_t size() const;  ///< encoded size
  void write(std::vector<std::uint8_t>& out) const;
  std::vector<std::uint8_t> encode() const;

 private:
  enum class Kind { prim, raw, cons, hole };
  Kind kind_ = Kind::raw;
  std::uint8_t tag_ = 0;
  std::vector<std::uint8_t> owned_;
  Bytes data_;
  std::vector<Node> children_;
  std::size_t hole_size_ = 0;
  std::size_t* hole_offset_ = nullptr;
  std::size_t content_size() const;
};

Node oid(std::string_view dotted);
Node integer(long v);
Node integer_bytes(Bytes magnitude);  ///< unsigned big-endian magnitude
Node null();
Node octet_string(std::vector<std::uint8_t> v);
Node time(std::chrono::system_clock::time_point t);  ///< UTCTime 1950–2049, else GeneralizedTime
Node alg(std::string_view dotted, bool null_params = false);
Node alg(std::string_view dotted, Node params);

}  // namespace smimegw::cms::der
