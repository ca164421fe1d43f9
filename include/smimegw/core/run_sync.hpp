// core: running one awaitable to completion from blocking code — the CLI subcommands, tests of
// coroutine services and stores, and the benchmarks. The value (or the exception) of the awaitable
// is returned (rethrown) to the caller.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <optional>
#include <utility>

namespace smimegw::core {

/// Runs `task` on `io` until the context has no more work (it is restarted first, so one context
/// serves many calls); whatever else was posted to `io` runs too.
template <class T>
T run_sync(boost::asio::io_context& io, boost::asio::awaitable<T> task) {
  io.restart();
  auto fut = boost::asio::co_spawn(
      io,
      [t = std::move(task)]() mutable -> boost::asio::awaitable<std::optional<T>> {
        co_return co_await std::move(t);
      },
      boost::asio::use_future);
  io.run();
  return std::move(*fut.get());
}

/// Runs `task` on a fresh io_context of its own.
template <class T>
T run_sync(boost::asio::awaitable<T> task) {
  boost::asio::io_context io;
  return run_sync(io, std::move(task));
}

}  // namespace smimegw::core
