// app: running one awaitable to completion from a blocking subcommand.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <optional>

namespace smimegw::app {

template <class T>
T run_sync(boost::asio::awaitable<T> task) {
  boost::asio::io_context io;
  auto fut = boost::asio::co_spawn(
      io,
      [t = std::move(task)]() mutable -> boost::asio::awaitable<std::optional<T>> {
        co_return co_await std::move(t);
      },
      boost::asio::use_future);
  io.run();
  return std::move(*fut.get());
}

}  // namespace smimegw::app
