// app: running blocking work (password hashing, policy store reads, CMS decryption) on a worker
// thread pool from a coroutine on the event loop.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>

namespace smimegw::app {

/// Runs blocking `f` on `worker`; co_await the result (an optional holding f's value) to resume on
/// the caller's executor. A plain function, not a coroutine: g++ 12 destroyed a closure passed by
/// value to a coroutine twice. Callers name the closure first (no closure temporary inside a
/// co_await expression).
template <class F>
auto run_on(boost::asio::thread_pool& worker, F f) {
  using R = decltype(f());
  return boost::asio::co_spawn(
      worker,
      [f = std::move(f)]() mutable -> boost::asio::awaitable<std::optional<R>> { co_return f(); },
      boost::asio::use_awaitable);
}

}  // namespace smimegw::app
