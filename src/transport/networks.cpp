#include "smimegw/transport/networks.hpp"

#include <boost/asio/ip/address.hpp>
#include <charconv>
#include <cstring>

namespace smimegw::transport {

namespace {

struct Parsed {
  bool ok = false;
  bool v6 = false;
  unsigned char bytes[16] = {};
};

Parsed parse_address(const std::string& text) {
  Parsed p;
  boost::system::error_code ec;
  auto a = boost::asio::ip::make_address(text, ec);
  if (ec) return p;
  p.ok = true;
  if (a.is_v6() && a.to_v6().is_v4_mapped())
    a = boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, a.to_v6());
  if (a.is_v4()) {
    auto b = a.to_v4().to_bytes();
    std::memcpy(p.bytes, b.data(), 4);
  } else {
    p.v6 = true;
    auto b = a.to_v6().to_bytes();
    std::memcpy(p.bytes, b.data(), 16);
  }
  return p;
}

bool prefix_equal(const unsigned char* a, const unsigned char* b, unsigned bits) {
  unsigned full = bits / 8, rest = bits % 8;
  if (std::memcmp(a, b, full) != 0) return false;
  if (rest == 0) return true;
  unsigned char mask = static_cast<unsigned char>(0xff << (8 - rest));
  return (a[full] & mask) == (b[full] & mask);
}

}  // namespace

core::Result<Networks> Networks::parse(const std::vector<std::string>& blocks) {
  Networks out;
  for (const auto& text : blocks) {
    auto slash = text.find('/');
    auto addr = parse_address(text.substr(0, slash));
    Block b;
    b.v6 = addr.v6;
    std::memcpy(b.bytes, addr.bytes, 16);
    unsigned max = addr.v6 ? 128 : 32;
    b.prefix = max;
    bool ok = addr.ok;
    if (ok && slash != std::string::npos) {
      auto digits = text.substr(slash + 1);
      auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), b.prefix);
      ok = !digits.empty() && ec == std::errc() && p == digits.data() + digits.size() &&
           b.prefix <= max;
    }
    if (!ok)
      return core::Error::make(
          "bad_network", "\"" + text + "\" is not an address or CIDR block (a.b.c.d/n, x::/n)");
    out.blocks_.push_back(b);
  }
  return out;
}

bool Networks::contains(const std::string& address) const {
  auto a = parse_address(address);
  if (!a.ok) return false;
  for (const auto& b : blocks_)
    if (b.v6 == a.v6 && prefix_equal(b.bytes, a.bytes, b.prefix)) return true;
  return false;
}

}  // namespace smimegw::transport
