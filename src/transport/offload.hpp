// transport (private): running a blocking or CPU-bound step (CMS work, trust validation) on a
// thread pool from a coroutine on the event loop.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace smimegw::transport {

/// Runs `f` (a plain function object with trivial captures) on `threads`; co_await the result
/// to resume on the caller's executor. A plain function, not a coroutine (g++ 12 rules,
/// docs/architecture.md).
template <class F>
auto offload(boost::asio::thread_pool& threads, F f) {
  return boost::asio::co_spawn(
      threads,
      [f]() -> boost::asio::awaitable<int> {
        f();
        co_return 0;
      },
      boost::asio::use_awaitable);
}

}  // namespace smimegw::transport
