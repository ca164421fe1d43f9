// core: an RFC 5321 mailbox address (local-part@domain). The domain compares case-insensitively;
// the local part is kept as written (RFC 5321 §2.4) but compared case-insensitively by the
// directory, as every mainstream mail system does.
#pragma once

#include <string>
#include <string_view>

#include "smimegw/core/result.hpp"

namespace smimegw::core {

class Address {
 public:
  /// Parses "local@domain" (no display name, no angle brackets). Rejects empty parts, spaces,
  /// control characters, more than one unquoted '@', and lengths over RFC 5321's 64/255/254.
  static Result<Address> parse(std::string_view text);

  const std::string& local() const { return local_; }
  const std::string& domain() const { return domain_; }  ///< lower-cased
  std::string str() const { return local_ + "@" + domain_; }
  /// Lower-cased whole address, the key the directory matches on.
  std::string key() const;

  friend bool operator==(const Address& a, const Address& b) { return a.key() == b.key(); }

 private:
  Address(std::string local, std::string domain)
      : local_(std::move(local)), domain_(std::move(domain)) {}
  std::string local_;
  std::string domain_;
};

std::string ascii_lower(std::string_view s);

}  // namespace smimegw::core
