// directory: private parts of the resolver — candidate evaluation and the final reason, kept
// apart from the coroutine flow in resolver.cpp.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <functional>

#include "smimegw/directory/resolver.hpp"

namespace smimegw::directory::detail {

struct Candidate {
  std::vector<std::uint8_t> der;
  std::string source;
  std::vector<std::string> other_addresses;  ///< further addresses of the same person (GAL)
  /// Installed with source user_trusted while ResolverOptions::accept_user_trusted: an unknown CA
  /// (untrusted_root, chain_incomplete and nothing else) does not make it invalid.
  bool user_trusted = false;
};

/// One address being resolved.
struct Target {
  RecipientResolution result;
  bool done = false;
  std::vector<Candidate> pending;  ///< candidates of the current source, not yet validated
  core::Error source_error;        ///< the first LDAP failure (code empty: none)
};

/// Validates `target.pending` for encryption to `target.result.address`; records every candidate
/// and, when one is valid, the newest valid one as the answer (done). Blocking.
void evaluate(Target& target, trust::Validator& validator, std::chrono::system_clock::time_point at,
              trust::RevocationMode revocation);

/// Sets the reason of a target nothing valid was found for.
void finish_unresolved(Target& target);

/// One job as a plain coroutine with a by-value parameter (see run_all).
inline boost::asio::awaitable<void> run_job(std::function<void()> job) {
  job();
  co_return;
}

/// Runs `jobs` on `pool`, all at once, and waits for every one.
inline boost::asio::awaitable<void> run_all(boost::asio::thread_pool& pool,
                                            std::vector<std::function<void()>> jobs) {
  namespace asio = boost::asio;
  using Op = decltype(asio::co_spawn(pool.get_executor(), run_job({}), asio::deferred));
  std::vector<Op> ops;
  for (auto& job : jobs)
    ops.push_back(asio::co_spawn(pool.get_executor(), run_job(std::move(job)), asio::deferred));
  if (ops.empty()) co_return;
  co_await asio::experimental::make_parallel_group(std::move(ops))
      .async_wait(asio::experimental::wait_for_all(), asio::use_awaitable);
}

}  // namespace smimegw::directory::detail
