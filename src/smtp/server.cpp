// smtp: the listener — accept loop, connection limits (total and per client address), session ids,
// metrics, stop().
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <random>

#include "server_impl.hpp"
#include "session.hpp"
#include "smimegw/net/listen.hpp"

namespace smimegw::smtp {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

Server::Impl::Impl(asio::any_io_executor e, ServerOptions o, core::MessageSink& s, obs::Metrics& m,
                   Authenticator* a)
    : ex(std::move(e)), opts(std::move(o)), sink(s), metrics(m), auth(a) {
  std::random_device rd;
  static const char* hex = "0123456789abcdef";
  for (int i = 0; i < 6; ++i) id_prefix += hex[rd() & 15];
  const std::string l = "listener=\"" + opts.name + "\"";
  connections = &m.counter("smimegw_smtp_connections_total", "SMTP connections accepted.", l);
  active_gauge = &m.gauge("smimegw_smtp_connections_active", "SMTP connections open.", l);
  accepted = &m.counter("smimegw_smtp_messages_total", "SMTP messages by result.",
                        l + ",result=\"accepted\"");
  refused = &m.counter("smimegw_smtp_messages_total", "SMTP messages by result.",
                       l + ",result=\"refused\"");
  bytes = &m.counter("smimegw_smtp_bytes_received_total", "DATA bytes received.", l);
}

Server::Server(asio::any_io_executor ex, ServerOptions opts, core::MessageSink& sink,
               obs::Metrics& metrics, Authenticator* auth)
    : impl_(std::make_shared<Impl>(std::move(ex), std::move(opts), sink, metrics, auth)) {}

Server::~Server() = default;

core::Status Server::listen(const std::string& host, std::uint16_t port) {
  auto& o = impl_->opts;
  if (!o.tls_cert_file.empty() || !o.tls_key_file.empty()) {
    auto ctx = net::TlsServerContext::from_pem_files(o.tls_cert_file, o.tls_key_file);
    if (!ctx) return ctx.error();
    impl_->tls = std::move(*ctx);
  }
  auto acc = net::bind_acceptor(impl_->ex, host, port);
  if (!acc) return acc.error();
  impl_->acceptor.emplace(std::move(*acc));
  return core::Status();
}

std::uint16_t Server::port() const {
  boost::system::error_code ec;
  return impl_->acceptor ? impl_->acceptor->local_endpoint(ec).port() : 0;
}

int Server::active() const {
  return impl_->active.load();
}

void Server::stop() {
  auto impl = impl_;
  asio::post(impl->ex, [impl] {
    impl->stopping = true;
    boost::system::error_code ec;
    if (impl->acceptor) impl->acceptor->close(ec);
    std::lock_guard lock(impl->mu);
    for (auto& o : impl->streams)
      asio::post(o.ex, [w = o.stream] {
        if (auto s = w.lock()) s->cancel();
      });
  });
}

namespace {

asio::awaitable<void> run_session(std::shared_ptr<Server::Impl> srv, tcp::socket socket,
                                  std::string sid) {
  boost::system::error_code ec;
  auto ep = socket.remote_endpoint(ec);
  std::string peer = ec ? "unknown" : ep.address().to_string();
  bool loopback = !ec && ep.address().is_loopback();
  std::optional<std::string> refusal;
  bool counted = false;
  {
    std::lock_guard lock(srv->mu);
    int& n = srv->per_address[peer];
    if (srv->active.load() >= srv->opts.limits.max_connections)
      refusal = "too_many_connections";
    else if (n >= srv->opts.limits.max_connections_per_address)
      refusal = "too_many_connections_from_address";
    else {
      ++n;
      ++srv->active;
      counted = true;
    }
    if (!counted && n == 0) srv->per_address.erase(peer);
  }
  auto ex = socket.get_executor();
  auto stream = std::make_shared<detail::Stream>(std::move(socket));
  std::list<Server::Impl::Open>::iterator me;
  {
    std::lock_guard lock(srv->mu);
    me = srv->streams.insert(srv->streams.end(), Server::Impl::Open{stream, ex});
  }
  srv->connections->inc();
  if (counted) srv->active_gauge->add(1);
  if (refusal)
    obs::log(*srv->log, spdlog::level::warn, "smtp_refused",
             {{"sid", sid}, {"listener", srv->opts.name}, {"client", peer}, {"reason", *refusal}});
  try {
    detail::Session session(*srv, *stream, peer, loopback, sid);
    co_await session.run(refusal);
  } catch (const std::exception& e) {
    obs::log(*srv->log, spdlog::level::err, "smtp_session_failed",
             {{"sid", sid}, {"what", e.what()}});
  }
  co_await stream->close();
  {
    std::lock_guard lock(srv->mu);
    srv->streams.erase(me);
    if (counted) {
      --srv->active;
      if (--srv->per_address[peer] <= 0) srv->per_address.erase(peer);
    }
  }
  if (counted) srv->active_gauge->add(-1);
}

}  // namespace

asio::awaitable<void> Server::run() {
  auto impl = impl_;
  if (!impl->acceptor) co_return;
  for (;;) {
    // One strand per connection: the session coroutine, its deadline timers and stop()'s cancel
    // are serialised even when the io_context runs on several threads.
    auto [ec, socket] = co_await impl->acceptor->async_accept(asio::make_strand(impl->ex),
                                                              asio::as_tuple(asio::use_awaitable));
    if (impl->stopping) break;
    if (ec) {
      if (ec == asio::error::operation_aborted) break;
      continue;  // e.g. EMFILE: keep accepting
    }
    std::string sid = impl->id_prefix + std::to_string(impl->next_id++);
    auto session_ex = socket.get_executor();
    asio::co_spawn(session_ex, run_session(impl, std::move(socket), std::move(sid)),
                   asio::detached);
  }
}

}  // namespace smimegw::smtp
