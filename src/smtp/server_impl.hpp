// smtp: state shared by the listener and its sessions (private).
#pragma once

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <list>
#include <map>
#include <mutex>
#include <optional>

#include "smimegw/net/tls_stream.hpp"
#include "smimegw/obs/log.hpp"
#include "smimegw/smtp/server.hpp"
#include "stream.hpp"

namespace smimegw::smtp {

struct Server::Impl : std::enable_shared_from_this<Impl> {
  boost::asio::any_io_executor ex;
  ServerOptions opts;
  core::MessageSink& sink;
  obs::Metrics& metrics;
  Authenticator* auth;
  std::shared_ptr<net::TlsServerContext> tls;
  std::optional<boost::asio::ip::tcp::acceptor> acceptor;
  std::atomic<bool> stopping{false};
  std::atomic<int> active{0};
  std::mutex mu;
  std::map<std::string, int> per_address;
  /// For stop(): each session's stream and its executor (a strand per connection), so the cancel
  /// runs on the session's strand and never races with its I/O.
  struct Open {
    std::weak_ptr<detail::Stream> stream;
    boost::asio::any_io_executor ex;
  };
  std::list<Open> streams;
  std::shared_ptr<spdlog::logger> log = obs::logger("smtp");
  std::string id_prefix;
  std::atomic<std::uint64_t> next_id{0};
  obs::Counter* connections = nullptr;
  obs::Gauge* active_gauge = nullptr;
  obs::Counter* accepted = nullptr;
  obs::Counter* refused = nullptr;
  obs::Counter* bytes = nullptr;

  Impl(boost::asio::any_io_executor e, ServerOptions o, core::MessageSink& s, obs::Metrics& m,
       Authenticator* a);
};

}  // namespace smimegw::smtp
