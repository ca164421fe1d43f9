// net: binding listeners. Every listener of the gateway (SMTP, HTTP) is bound here so that the
// errors an operator sees are the same everywhere: "address_in_use", "address_not_available",
// "permission_denied", "bad_address".
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <string>

#include "smimegw/core/result.hpp"

namespace smimegw::net {

/// Resolves `host` (numeric or name) and binds a listening acceptor with SO_REUSEADDR.
core::Result<boost::asio::ip::tcp::acceptor> bind_acceptor(const boost::asio::any_io_executor& ex,
                                                           const std::string& host,
                                                           std::uint16_t port, int backlog = 1024);

}  // namespace smimegw::net
