#include <cerrno>
#include <cstring>
#include <fstream>

#include "smimegw/core/address.hpp"
#include "smimegw/transport/relay.hpp"

namespace smimegw::transport {

std::optional<Destination> route_for(const std::string& domain,
                                     const std::vector<RouteRule>& routes,
                                     const std::optional<Destination>& smarthost) {
  auto d = core::ascii_lower(domain);
  for (const auto& r : routes)
    if (r.domain == d) return r.dest;
  return smarthost;
}

core::Result<std::string> read_secret_file(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    return core::Error::make("secret_file",
                             "cannot read \"" + path + "\": " + std::strerror(errno));
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) return core::Error::make("secret_file", "\"" + path + "\" is empty");
  return line;
}

}  // namespace smimegw::transport
