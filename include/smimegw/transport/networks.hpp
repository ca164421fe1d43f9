// transport: client networks allowed to relay through the inbound listener without AUTH (the role
// of Postfix's mynetworks: application servers, a load generator, an internal mail server). An
// address matches when it lies in one of the configured CIDR blocks ("10.0.0.0/8", "::1/128"; a
// bare address means a single host). IPv4-mapped IPv6 client addresses match IPv4 blocks.
#pragma once

#include <string>
#include <vector>

#include "smimegw/core/result.hpp"

namespace smimegw::transport {

class Networks {
 public:
  Networks() = default;
  /// Parses CIDR blocks; `bad_network` names the first entry that is not one.
  static core::Result<Networks> parse(const std::vector<std::string>& blocks);
  /// Whether `address` (as the SMTP server reports the peer, e.g. "127.0.0.1") is in a block.
  bool contains(const std::string& address) const;
  bool empty() const { return blocks_.empty(); }

 private:
  struct Block {
    bool v6 = false;
    unsigned char bytes[16] = {};
    unsigned prefix = 0;
  };
  std::vector<Block> blocks_;
};

}  // namespace smimegw::transport
