#include "smimegw/net/listen.hpp"

#include <boost/asio/ip/address.hpp>

namespace smimegw::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

core::Result<tcp::acceptor> bind_acceptor(const asio::any_io_executor& ex, const std::string& host,
                                          std::uint16_t port, int backlog) {
  boost::system::error_code ec;
  std::string where = host + ":" + std::to_string(port);
  auto addr = asio::ip::make_address(host == "*" ? "0.0.0.0" : host, ec);
  if (ec) {
    tcp::resolver resolver(ex);
    auto results = resolver.resolve(host, std::to_string(port), ec);
    if (ec || results.empty())
      return core::Error::make("bad_address", where + ": cannot resolve host: " + ec.message());
    addr = results.begin()->endpoint().address();
  }
  tcp::endpoint ep(addr, port);
  tcp::acceptor acc(ex);
  acc.open(ep.protocol(), ec);
  if (!ec) acc.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acc.bind(ep, ec);
  if (!ec) acc.listen(backlog, ec);
  if (ec) {
    std::string code = "bind_failed";
    if (ec == asio::error::address_in_use)
      code = "address_in_use";
    else if (ec == asio::error::access_denied)
      code = "permission_denied";
    else if (ec == boost::system::errc::address_not_available)
      code = "address_not_available";
    return core::Error::make(code, where + ": " + ec.message());
  }
  return acc;
}

}  // namespace smimegw::net
