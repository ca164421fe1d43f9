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

}  // namespace smimegw::transport
