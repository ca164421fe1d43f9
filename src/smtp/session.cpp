// smtp: the session loop — reading command lines (with the line limit), pipelining (replies are
// buffered and written before the session blocks on a read, or when max_pipelined replies are
// waiting), timeouts, the error limit and the command table dispatch.
#include "session.hpp"

#include <cstring>

namespace smimegw::smtp::detail {

namespace asio = boost::asio;

Session::Session(Server::Impl& srv, Stream& stream, std::string peer, bool loopback,
                 std::string sid)
    : srv_(srv),
      limits_(srv.opts.limits),
      stream_(stream),
      peer_(std::move(peer)),
      loopback_(loopback),
      sid_(std::move(sid)) {}

void Session::log_event(std::string_view event, std::initializer_list<obs::Field> fields) {
  if (!srv_.log->should_log(spdlog::level::info)) return;
  std::string line = obs::format_event(event, {{"sid", sid_}, {"listener", srv_.opts.name}});
  std::string rest = obs::format_event("", fields);
  // format_event("", ...) yields "event= k=v"; keep only the fields.
  auto sp = rest.find(' ');
  if (sp != std::string::npos) line += rest.substr(sp);
  srv_.log->info("{}", line);
}

void Session::reply(int code, std::string enhanced, std::string text) {
  reply(Reply{code, std::move(enhanced), std::move(text)});
}

void Session::reply(const Reply& r) {
  out_ += r.wire();
  ++out_count_;
}

Next Session::fail(const core::Error& e) {
  reply(reply_for(e));
  if (++errors_ > limits_.max_errors) {
    reply(reply_for("too_many_errors"));
    log_event("smtp_error_limit", {{"errors", std::to_string(errors_)}});
    return Next::Close;
  }
  return Next::Continue;
}

Next Session::fail(std::string code, std::string message) {
  return fail(core::Error::make(std::move(code), std::move(message)));
}

asio::awaitable<bool> Session::flush() {
  if (out_.empty() || closed_) co_return !closed_;
  std::string data = std::move(out_);
  out_.clear();
  out_count_ = 0;
  auto st = co_await stream_.write(data, limits_.command_timeout);
  if (!st) {
    closed_ = true;
    timed_out_ = st.error().code == "timeout";
  }
  co_return !closed_;
}

asio::awaitable<std::optional<Session::Line>> Session::next_line(
    std::chrono::milliseconds timeout) {
  // The timeout bounds the whole line, not each read: a client dripping one byte at a time
  // cannot hold its connection slot past it (slowloris).
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const char* base = in_.data() + in_pos_;
    std::size_t avail = in_.size() - in_pos_;
    const void* lf = avail ? std::memchr(base, '\n', avail) : nullptr;
    if (lf) {
      std::size_t len = static_cast<const char*>(lf) - base;  // without LF
      Line line;
      line.too_long = discarding_ || len + 1 > limits_.max_line;
      if (!line.too_long) {
        line.text.assign(base, len);
        if (!line.text.empty() && line.text.back() == '\r') line.text.pop_back();
      }
      discarding_ = false;
      in_pos_ += len + 1;
      if (in_pos_ == in_.size()) {
        in_.clear();
        in_pos_ = 0;
      }
      co_return line;
    }
    if (avail > limits_.max_line) {
      discarding_ = true;  // drop what we have; the rest of the line is dropped when it comes
      in_.clear();
      in_pos_ = 0;
    } else if (in_pos_ > 0) {
      in_.erase(0, in_pos_);
      in_pos_ = 0;
    }
    if (!co_await flush()) co_return std::nullopt;
    // stop() cancels pending reads; this catches a session that was between operations then.
    if (srv_.stopping) co_return std::nullopt;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left <= std::chrono::milliseconds(0)) {
      timed_out_ = true;
      co_return std::nullopt;
    }
    char buf[8192];
    auto r = co_await stream_.read_some(buf, sizeof buf, left);
    if (!r) {
      timed_out_ = r.error().code == "timeout";
      co_return std::nullopt;
    }
    in_.append(buf, *r);
  }
}

void Session::reset_transaction() {
  in_transaction_ = false;
  rcpt_attempts_ = 0;
  core::Envelope fresh;
  fresh.client_address = peer_;
  fresh.helo = helo_;
  fresh.authenticated_user = auth_identity_;
  fresh.tls = stream_.tls();
  fresh.session_id = sid_;
  env_ = std::move(fresh);
}

asio::awaitable<Next> Session::dispatch(const Command& cmd) {
  switch (cmd.verb) {
    case Verb::Ehlo:
      co_return on_helo(cmd, true);
    case Verb::Helo:
      co_return on_helo(cmd, false);
    case Verb::Mail:
      co_return on_mail(cmd);
    case Verb::Rcpt:
      co_return co_await on_rcpt(cmd);
    case Verb::Data:
      co_return co_await on_data(cmd);
    case Verb::StartTls:
      co_return co_await on_starttls(cmd);
    case Verb::Auth:
      co_return co_await on_auth(cmd);
    case Verb::Rset:
      reset_transaction();
      reply(250, "2.0.0", "Ok");
      co_return Next::Continue;
    case Verb::Noop:
      reply(250, "2.0.0", "Ok");
      co_return Next::Continue;
    case Verb::Help:
      reply(214, "2.0.0", "See RFC 5321; commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY");
      co_return Next::Continue;
    case Verb::Vrfy:
      if (cmd.arg.empty()) co_return fail("syntax_error", "VRFY needs an argument");
      reply(252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery");
      co_return Next::Continue;
    case Verb::Expn:
      co_return fail("not_implemented");
    case Verb::Quit:
      reply(221, "2.0.0", "Bye");
      co_return Next::Close;
    case Verb::Unknown:
      break;
  }
  co_return fail("unknown_command");
}

asio::awaitable<void> Session::run(std::optional<std::string> refusal) {
  if (refusal) {
    reply(reply_for(*refusal));
    co_await flush();
    co_return;
  }
  reset_transaction();
  log_event("smtp_connect", {{"client", peer_}});
  reply(220, "", srv_.opts.hostname + " ESMTP smimegw");
  for (;;) {
    auto line = co_await next_line(limits_.command_timeout);
    if (!line) {
      if (timed_out_ && !closed_) {
        reply(reply_for("command_timeout"));
        log_event("smtp_timeout", {{"state", "command"}});
      } else if (srv_.stopping && !closed_) {
        reply(reply_for("shutting_down"));
      }
      break;
    }
    if (srv_.stopping) {
      reply(reply_for("shutting_down"));
      break;
    }
    Next next;
    if (line->too_long) {
      next = fail("line_too_long");
    } else {
      next = co_await dispatch(parse_command(line->text));
    }
    if (next == Next::Close || closed_) break;
    if (out_count_ >= limits_.max_pipelined && !co_await flush()) break;
  }
  co_await flush();
  log_event("smtp_close", {{"errors", std::to_string(errors_)}});
}

}  // namespace smimegw::smtp::detail
