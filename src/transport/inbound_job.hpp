// transport (private): the state of one copy through InboundProcessor (inbound.hpp), and the
// offload of blocking work onto the processor's threads.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <string>
#include <vector>

#include "smimegw/transport/inbound.hpp"

namespace smimegw::transport {

struct InboundProcessor::Job {
  LocalInput in;
  bool enveloped = false;
  std::vector<directory::KeyMaterial> owner;
  bool owner_loaded = false;
  std::vector<std::shared_ptr<const directory::GatewayKey>> gateway;
  std::vector<std::string> key_errors;  ///< non-temporary key source failures (codes)
  std::shared_ptr<const policy::Catalog> catalog;
  Analysis analysis;
  LabelFacts label;
  bool protected_label = false;
  bool seal = false;
  std::string authentication_results;
  std::size_t removed_results = 0;
  std::string body;  ///< stamped (and, once sealed, the sealed entity)
  std::size_t seal_recipients = 0;
  core::Status step;                                           ///< failure of an offloaded step
  std::vector<std::pair<std::string, std::string>> harvested;  ///< thumbprint, outcome
};

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
