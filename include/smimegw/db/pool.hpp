// db: the PostgreSQL connection pool. All SQL of the gateway runs through here (ARCHITECTURE
// §3/§4).
//
// libpqxx 6.4 is blocking, so the pool owns N worker threads with one connection each; transact()
// runs a function inside a transaction on a worker and resumes the awaiting coroutine on its own
// executor. The transaction commits only if the function returns normally; any exception rolls it
// back. A broken connection is dropped and re-opened on next use and reported as the transient
// error `db_unavailable` (callers answer 4xx/503, never lose data). Serialization failures and
// deadlocks are retried up to three times. Errors never carry SQL text or connection strings.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <type_traits>

#include "smimegw/core/result.hpp"

namespace smimegw::db {

struct ConnectionOptions {
  std::string url;       ///< libpq URI or key=value conninfo
  std::string password;  ///< added to the connection string; never logged
  int statement_timeout_ms = 30000;
};

/// The full libpq connection string (url + password + options).
std::string connection_string(const ConnectionOptions& opts);

/// Opens one connection. Errors: `db_unavailable` (transient), `db_config` (bad URL).
core::Result<std::unique_ptr<pqxx::connection>> connect(const ConnectionOptions& opts);

/// Retries connect() with exponential backoff (100 ms doubling to 2 s) until `timeout` has passed.
/// `on_retry` is told each failure (for a log line).
core::Result<std::unique_ptr<pqxx::connection>> connect_with_retry(
    const ConnectionOptions& opts, std::chrono::milliseconds timeout,
    const std::function<void(const core::Error&)>& on_retry = {});

namespace detail {
/// Maps the exception in flight to a safe Error; sets `retry` for serialization failures.
core::Error classify_current_exception(bool& retry, bool& broken);
}  // namespace detail

/// Runs `f(pqxx::work&)` in one transaction on `conn` (the blocking form, for the CLI and workers).
template <class F>
auto run_transaction(pqxx::connection& conn, F&& f)
    -> core::Result<std::invoke_result_t<F&, pqxx::work&>> {
  using R = std::invoke_result_t<F&, pqxx::work&>;
  for (int attempt = 0;; ++attempt) {
    bool retry = false, broken = false;
    core::Error err;
    try {
      pqxx::work tx(conn);
      if constexpr (std::is_void_v<R>) {
        f(tx);
        tx.commit();
        return {};
      } else {
        R r = f(tx);
        tx.commit();
        return r;
      }
    } catch (...) {
      err = detail::classify_current_exception(retry, broken);
    }
    if (!retry || attempt >= 3) return err;
  }
}

class Pool {
 public:
  Pool(ConnectionOptions opts, int threads);
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  /// Runs `f(pqxx::work&)` in a transaction on a pool thread; see the header comment.
  template <class F>
  auto transact(F f)
      -> boost::asio::awaitable<core::Result<std::invoke_result_t<F&, pqxx::work&>>> {
    using R = core::Result<std::invoke_result_t<F&, pqxx::work&>>;
    // co_spawn needs a default-constructible value type, hence the optional.
    auto r = co_await boost::asio::co_spawn(
        threads_.get_executor(),
        [this, f = std::move(f)]() mutable -> boost::asio::awaitable<std::optional<R>> {
          co_return run_on_worker(f);
        },
        boost::asio::use_awaitable);
    co_return std::move(*r);
  }

  /// The same for blocking callers (CLI, synchronous store implementations): waits for the result.
  /// Must not be called from a coroutine on an event loop, nor from a pool thread.
  template <class F>
  auto transact_blocking(F f) -> core::Result<std::invoke_result_t<F&, pqxx::work&>> {
    using R = core::Result<std::invoke_result_t<F&, pqxx::work&>>;
    std::promise<std::optional<R>> promise;
    auto future = promise.get_future();
    boost::asio::post(threads_, [&] { promise.set_value(run_on_worker(f)); });
    return std::move(*future.get());
  }

  /// Stops the workers after the transactions in flight (called by the destructor too).
  void stop();

 private:
  template <class F>
  auto run_on_worker(F& f) -> core::Result<std::invoke_result_t<F&, pqxx::work&>> {
    auto conn = worker_connection();
    if (!conn) return conn.error();
    auto r = run_transaction(**conn, f);
    if (!r.ok() && r.error().code == "db_unavailable") drop_worker_connection();
    return r;
  }
  core::Result<pqxx::connection*> worker_connection();
  void drop_worker_connection();

  ConnectionOptions opts_;
  boost::asio::thread_pool threads_;
};

}  // namespace smimegw::db
