// smtp: the transaction commands — EHLO/HELO, MAIL, RCPT, DATA — and the hand-over to the sink.
#include <chrono>

#include "received.hpp"
#include "session.hpp"
#include "smimegw/smtp/data_decoder.hpp"

namespace smimegw::smtp::detail {

namespace asio = boost::asio;

namespace {
bool valid_helo(const std::string& s) {
  if (s.empty() || s.size() > 255) return false;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return false;
  }
  return true;
}
}  // namespace

Next Session::on_helo(const Command& cmd, bool ehlo) {
  std::string name = cmd.arg.substr(0, cmd.arg.find(' '));
  if (!valid_helo(name))
    return fail("syntax_error",
                ehlo ? "EHLO requires a domain name" : "HELO requires a domain name");
  helo_ = name;
  esmtp_ = ehlo;
  reset_transaction();
  if (!ehlo) {
    reply(250, "", srv_.opts.hostname);
    return Next::Continue;
  }
  std::string text = srv_.opts.hostname + " greets " + name;
  text += "\nPIPELINING\nSIZE " + std::to_string(limits_.max_message_bytes);
  text += "\n8BITMIME\nSMTPUTF8\nDSN\nENHANCEDSTATUSCODES";
  if (srv_.tls && !stream_.tls()) text += "\nSTARTTLS";
  if (auth_offered()) text += "\nAUTH PLAIN LOGIN";
  reply(250, "", text);
  return Next::Continue;
}

Next Session::on_mail(const Command& cmd) {
  if (helo_.empty()) return fail("bad_sequence", "Send HELO/EHLO first");
  if (in_transaction_) return fail("bad_sequence", "Nested MAIL command");
  if (srv_.opts.mode == Mode::Submission && !auth_identity_) return fail("auth_required");
  auto m = parse_mail_from(cmd.arg);
  if (!m) return fail(m.error());
  if (!esmtp_ && (m->size || m->smtputf8 || m->body != core::BodyType::SevenBit ||
                  m->ret != core::DsnRet::Unset || !m->envid.empty()))
    return fail("syntax_error", "parameters need EHLO");
  if (m->size > limits_.max_message_bytes) {
    reply(reply_for("message_too_big"));
    return Next::Continue;
  }
  reset_transaction();
  in_transaction_ = true;
  env_.mail_from = std::move(m->address);
  env_.declared_size = m->size;
  env_.body = m->body;
  env_.smtputf8 = m->smtputf8;
  env_.ret = m->ret;
  env_.envid = std::move(m->envid);
  reply(250, "2.1.0", "Ok");
  return Next::Continue;
}

asio::awaitable<Next> Session::on_rcpt(const Command& cmd) {
  if (!in_transaction_) co_return fail("bad_sequence", "Need MAIL before RCPT");
  auto r = parse_rcpt_to(cmd.arg, env_.smtputf8);
  if (!r) co_return fail(r.error());
  ++rcpt_attempts_;
  if (env_.recipients.size() >= limits_.max_recipients) {
    reply(reply_for("too_many_recipients"));
    co_return Next::Continue;
  }
  core::RecipientVerdict verdict;
  try {
    verdict = co_await srv_.sink.check_recipient(env_, r->recipient);
  } catch (const std::exception&) {
    verdict.accepted = false;
    verdict.reason = core::Error::transient("storage_unavailable", "");
  }
  if (!verdict.accepted) {
    Reply rep = reply_for(verdict.reason);
    log_event("smtp_rcpt", {{"result", "refused"},
                            {"code", std::to_string(rep.code)},
                            {"reason", verdict.reason.code}});
    reply(rep);
    co_return Next::Continue;
  }
  env_.recipients.push_back(std::move(r->recipient));
  reply(250, "2.1.5", "Ok");
  co_return Next::Continue;
}

asio::awaitable<Next> Session::on_data(const Command& cmd) {
  if (!cmd.arg.empty()) co_return fail("syntax_error", "DATA takes no argument");
  if (!in_transaction_) co_return fail("bad_sequence", "Need MAIL command");
  if (env_.recipients.empty()) {
    if (rcpt_attempts_ > 0) {
      reply(reply_for("no_valid_recipients"));
      co_return Next::Continue;
    }
    co_return fail("bad_sequence", "Need RCPT command");
  }
  reply(354, "", "End data with <CR><LF>.<CR><LF>");
  DataDecoder dec(limits_.max_message_bytes, limits_.max_line);
  for (;;) {
    std::size_t used = dec.feed(std::string_view(in_).substr(in_pos_));
    in_pos_ += used;
    if (in_pos_ == in_.size()) {
      in_.clear();
      in_pos_ = 0;
    }
    if (dec.done()) break;
    if (!co_await flush()) co_return Next::Close;
    char buf[16384];
    auto r = co_await stream_.read_some(buf, sizeof buf, limits_.data_timeout);
    if (!r) {
      if (r.error().code == "timeout") {
        reply(reply_for("command_timeout"));
        log_event("smtp_timeout", {{"state", "data"}});
      }
      co_return Next::Close;
    }
    in_.append(buf, *r);
  }
  srv_.bytes->inc(dec.wire_bytes());
  if (dec.too_big() || dec.line_too_long()) {
    srv_.refused->inc();
    std::string code = dec.too_big() ? "message_too_big" : "line_too_long";
    log_event(
        "smtp_message",
        {{"result", "refused"}, {"reason", code}, {"bytes", std::to_string(dec.wire_bytes())}});
    reply(reply_for(code));
    reset_transaction();
    co_return Next::Continue;
  }
  if (dec.bare_newline()) log_event("smtp_bare_newline", {{"normalised", "true"}});
  co_await deliver(std::move(dec.message()), dec.wire_bytes());
  reset_transaction();
  co_return Next::Continue;
}

asio::awaitable<void> Session::deliver(std::string message, std::uint64_t wire_bytes) {
  TraceInfo t;
  t.helo = helo_;
  t.client_address = peer_;
  t.hostname = srv_.opts.hostname;
  t.id = sid_ + "." + std::to_string(++message_no_);
  t.esmtp = esmtp_;
  t.tls = stream_.tls();
  t.authenticated = auth_identity_.has_value();
  t.smtputf8 = env_.smtputf8;
  t.tls_description = stream_.tls_description();
  if (env_.recipients.size() == 1) t.single_recipient = env_.recipients.front().address;
  std::string full = received_header(t, std::chrono::system_clock::now());
  full += message;
  std::string().swap(message);
  auto rcpts = env_.recipients.size();
  core::Result<core::Accepted> res = core::Error::transient("storage_unavailable", "");
  try {
    res = co_await srv_.sink.accept(env_, std::move(full));
  } catch (const std::exception&) {
    res = core::Error::transient("storage_unavailable", "");
  }
  if (!res) {
    srv_.refused->inc();
    Reply rep = reply_for(res.error());
    log_event("smtp_message", {{"result", "refused"},
                               {"code", std::to_string(rep.code)},
                               {"reason", res.error().code},
                               {"bytes", std::to_string(wire_bytes)}});
    reply(rep);
    co_return;
  }
  srv_.accepted->inc();
  log_event("smtp_message", {{"result", "accepted"},
                             {"qid", res->queue_id},
                             {"rcpts", std::to_string(rcpts)},
                             {"bytes", std::to_string(wire_bytes)}});
  std::string text = "Ok: queued as " + res->queue_id;
  for (const auto& w : res->warnings) {
    text += "; ";
    for (char c : w.substr(0, 100)) text += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
  }
  reply(250, "2.0.0", text);
}

}  // namespace smimegw::smtp::detail
