// app: the composition root of `serve`. Builds every service from the configuration, in dependency
// order (database pool → stores → transport → listeners), starts them, and stops them in reverse:
// listeners stop accepting, sessions and deliveries in flight finish, then the pool.
#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>

#include "smimegw/config/config.hpp"
#include "smimegw/core/result.hpp"

namespace smimegw::trust {
class Validator;
}

namespace smimegw::app {

class Gateway {
 public:
  Gateway(boost::asio::io_context& io, const config::Config& cfg);
  ~Gateway();
  /// Binds every listener; the first failure names the config key and address.
  core::Status listen();
  /// Starts accepting and delivering.
  void start();
  /// Stops accepting; in-flight work continues.
  void begin_stop();
  /// The trust validation service (trust_service.hpp): blocking, call it from worker threads.
  trust::Validator& validator();
  /// Connections and deliveries still in flight.
  int in_flight() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace smimegw::app
