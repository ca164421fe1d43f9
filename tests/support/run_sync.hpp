// Tests: runs one awaitable to completion on a fresh io_context and returns its value (what the
// CLI does with app::run_sync, for tests of coroutine services and stores).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <optional>

namespace smimegw::test {

template <class T>
T run(boost::asio::awaitable<T> task) {
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

}  // namespace smimegw::test
