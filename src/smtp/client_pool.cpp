// smtp: ClientPool — per-destination concurrency cap and reuse of idle connections (best effort;
// see client.hpp). A delivery over the cap waits on a timer of its own that the finishing delivery
// cancels (first come, first served).
#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "smimegw/smtp/client.hpp"

namespace smimegw::smtp {

namespace asio = boost::asio;

ClientPool::ClientPool(asio::any_io_executor ex, std::size_t max_per_destination,
                       std::size_t max_idle_per_destination, std::chrono::milliseconds idle_timeout)
    : ex_(std::move(ex)),
      max_per_destination_(max_per_destination ? max_per_destination : 1),
      max_idle_(max_idle_per_destination),
      idle_timeout_(idle_timeout) {}

ClientPool::~ClientPool() = default;

asio::awaitable<void> ClientPool::close_idle() {
  for (auto& [key, d] : destinations_) {
    auto idle = std::move(d.idle);
    d.idle.clear();
    for (auto& i : idle) co_await i.session->quit();
  }
}

asio::awaitable<core::Result<DeliveryResult>> ClientPool::deliver(ClientOptions opts,
                                                                  core::Envelope env,
                                                                  std::string message) {
  const std::string key = opts.host + ":" + std::to_string(opts.port) + "/" +
                          std::to_string(static_cast<int>(opts.tls)) + "/" +
                          opts.auth_user.value_or("");
  while (destinations_[key].running >= max_per_destination_) {
    // (a timeout as well, in case a wake-up is missed: the cap is then re-checked)
    asio::steady_timer t(ex_, std::chrono::seconds(1));
    destinations_[key].waiters.push_back(&t);
    co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
    auto& w = destinations_[key].waiters;
    w.erase(std::remove(w.begin(), w.end(), &t), w.end());
  }
  ++destinations_[key].running;
  struct Release {
    ClientPool* p;
    std::string k;
    ~Release() {
      auto& d = p->destinations_[k];
      --d.running;
      if (d.waiters.empty()) return;
      auto* next = d.waiters.front();
      d.waiters.erase(d.waiters.begin());
      next->cancel();
    }
  } release{this, key};

  // Try an idle connection first (dropping expired ones); a dead one is replaced once.
  std::unique_ptr<ClientSession> session;
  {
    auto& idle = destinations_[key].idle;
    auto now = std::chrono::steady_clock::now();
    while (!idle.empty()) {
      Idle i = std::move(idle.back());
      idle.pop_back();
      if (now - i.since < idle_timeout_ && i.session->reusable()) {
        session = std::move(i.session);
        break;
      }
      co_await i.session->quit();
    }
  }
  core::Result<DeliveryResult> res = core::Error::transient("connect_failed", "not attempted");
  if (session) {
    res = co_await session->send(env, message);
    if (!session->reusable() && !session->message_sent()) {
      // Stale connection (closed, or 421 from a server that timed it out), nothing sent: retry
      // on a fresh one.
      co_await session->quit();
      session.reset();
    } else if (!res) {
      co_await session->quit();
      co_return res;
    }
  }
  if (!session) {
    auto s = co_await ClientSession::open(ex_, opts);
    if (!s) co_return s.error();
    ++opened_;
    session = std::move(*s);
    res = co_await session->send(std::move(env), std::move(message));
  }
  auto& idle = destinations_[key].idle;
  if (session->reusable() && idle.size() < max_idle_) {
    idle.push_back({std::move(session), std::chrono::steady_clock::now()});
  } else {
    co_await session->quit();
  }
  co_return res;
}

}  // namespace smimegw::smtp
