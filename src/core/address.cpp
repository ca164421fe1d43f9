#include "smimegw/core/address.hpp"

#include <algorithm>

namespace smimegw::core {

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
  });
  return out;
}

Result<Address> Address::parse(std::string_view text) {
  if (text.empty()) return Error::make("bad_address", "empty address");
  if (text.size() > 254) return Error::make("bad_address", "address longer than 254 octets");
  for (unsigned char c : text) {
    if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == ',')
      return Error::make("bad_address", "address contains a forbidden character");
  }
  auto at = text.rfind('@');
  if (at == std::string_view::npos) return Error::make("bad_address", "address has no '@'");
  auto local = text.substr(0, at);
  auto domain = text.substr(at + 1);
  if (local.empty() || domain.empty())
    return Error::make("bad_address", "address has an empty local part or domain");
  if (local.size() > 64) return Error::make("bad_address", "local part longer than 64 octets");
  if (local.find('@') != std::string_view::npos && !(local.front() == '"' && local.back() == '"'))
    return Error::make("bad_address", "address has more than one '@'");
  if (domain.front() == '.' || domain.back() == '.' || domain.find("..") != std::string_view::npos)
    return Error::make("bad_address", "malformed domain");
  return Address(std::string(local), ascii_lower(domain));
}

std::string Address::key() const {
  return ascii_lower(local_) + "@" + domain_;
}

}  // namespace smimegw::core
