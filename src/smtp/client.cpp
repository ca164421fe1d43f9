// smtp: relay client sessions (see client.hpp for the contract). Reply parsing, EHLO capability
// discovery, STARTTLS/AUTH, one pipelined transaction, dot-stuffing.
#include "smimegw/smtp/client.hpp"

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstring>

#include "base64.hpp"
#include "smimegw/smtp/command.hpp"
#include "stream.hpp"

namespace smimegw::smtp {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

struct ServerReply {
  int code = 0;
  std::string enhanced;
  std::string text;  // lines joined with "; "
};

core::Error protocol(std::string msg) {
  return core::Error::transient("protocol_error", msg);
}

/// Splits "2.1.5 Ok" into enhanced code and text when the text starts with one.
void split_enhanced(const std::string& line, std::string& enhanced, std::string& text) {
  std::size_t i = 0;
  auto digits = [&](std::size_t max) {
    std::size_t n = 0;
    while (i < line.size() && std::isdigit(static_cast<unsigned char>(line[i])) && n < max)
      ++i, ++n;
    return n;
  };
  if (line.size() >= 5 && (line[0] == '2' || line[0] == '4' || line[0] == '5') && line[1] == '.') {
    i = 2;
    if (digits(3) && i < line.size() && line[i] == '.' && (++i, digits(3)) &&
        (i == line.size() || line[i] == ' ')) {
      enhanced = line.substr(0, i);
      text = i < line.size() ? line.substr(i + 1) : std::string();
      return;
    }
  }
  enhanced.clear();
  text = line;
}

std::string dot_stuff(const std::string& msg) {
  std::string out;
  out.reserve(msg.size() + msg.size() / 50 + 8);
  bool bol = true;
  for (std::size_t i = 0; i < msg.size(); ++i) {
    char c = msg[i];
    if (bol && c == '.') out += '.';
    if (c == '\n' && (i == 0 || msg[i - 1] != '\r')) out += '\r';  // bare LF -> CRLF
    out += c;
    bol = c == '\n';
  }
  if (!out.empty() && !(out.size() >= 2 && out.compare(out.size() - 2, 2, "\r\n") == 0))
    out += "\r\n";
  out += ".\r\n";
  return out;
}

}  // namespace

struct ClientSession::Impl {
  ClientOptions opts;
  detail::Stream stream;
  std::string in;
  bool broken = false;
  bool message_sent = false;
  bool pipelining = false, size_ext = false, eight_bit = false, smtputf8 = false, dsn = false,
       starttls = false, auth_plain = false;
  std::uint64_t max_size = 0;

  Impl(ClientOptions o, tcp::socket s) : opts(std::move(o)), stream(std::move(s)) {}

  asio::awaitable<core::Result<ServerReply>> read_reply(std::chrono::milliseconds timeout) {
    ServerReply r;
    std::size_t total = 0;
    for (;;) {
      auto lf = in.find('\n');
      if (lf == std::string::npos) {
        if (in.size() > opts.max_reply_bytes) co_return protocol("reply line too long");
        char buf[4096];
        auto got = co_await stream.read_some(buf, sizeof buf, timeout);
        if (!got) {
          broken = true;
          if (got.error().code == "timeout")
            co_return core::Error::transient("timeout", "no reply from " + opts.host + " in time");
          co_return protocol("connection closed by " + opts.host + ": " + got.error().message);
        }
        in.append(buf, *got);
        continue;
      }
      std::string line = in.substr(0, lf);
      in.erase(0, lf + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      total += line.size();
      if (total > opts.max_reply_bytes) co_return protocol("reply too long");
      if (line.size() < 3 || !std::isdigit(static_cast<unsigned char>(line[0])) ||
          !std::isdigit(static_cast<unsigned char>(line[1])) ||
          !std::isdigit(static_cast<unsigned char>(line[2])) ||
          (line.size() > 3 && line[3] != ' ' && line[3] != '-')) {
        broken = true;
        co_return protocol("malformed reply from " + opts.host);
      }
      int code = std::stoi(line.substr(0, 3));
      if (r.code && code != r.code) co_return protocol("inconsistent multi-line reply");
      r.code = code;
      std::string enh, text;
      split_enhanced(line.size() > 4 ? line.substr(4) : std::string(), enh, text);
      if (r.enhanced.empty()) r.enhanced = enh;
      if (!r.text.empty()) r.text += "\n";
      r.text += text;
      if (line.size() == 3 || line[3] == ' ') {
        if (r.code == 421) broken = true;  // the server is closing the connection
        co_return r;
      }
    }
  }

  asio::awaitable<core::Status> send_line(const std::string& s) {
    auto st = co_await stream.write(s, opts.command_timeout);
    if (!st) {
      broken = true;
      if (st.error().code == "timeout")
        co_return core::Error::transient("timeout", "sending to " + opts.host + " timed out");
      co_return protocol("write to " + opts.host + " failed");
    }
    co_return core::Status();
  }

  asio::awaitable<core::Result<ServerReply>> command(const std::string& line) {
    auto st = co_await send_line(line + "\r\n");
    if (!st) co_return st.error();
    co_return co_await read_reply(opts.command_timeout);
  }

  /// RSET after a refused transaction so the connection can be reused; marks it broken otherwise.
  asio::awaitable<void> reset() {
    if (broken) co_return;
    auto r = co_await command("RSET");
    if (!r || r->code != 250) broken = true;
  }

  void parse_ehlo(const std::string& text) {
    pipelining = size_ext = eight_bit = smtputf8 = dsn = starttls = auth_plain = false;
    max_size = 0;
    std::size_t pos = text.find('\n');  // first line is the greeting
    while (pos != std::string::npos) {
      std::size_t next = text.find('\n', pos + 1);
      std::string kw =
          text.substr(pos + 1, next == std::string::npos ? std::string::npos : next - pos - 1);
      for (auto& c : kw) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (kw == "PIPELINING")
        pipelining = true;
      else if (kw == "8BITMIME")
        eight_bit = true;
      else if (kw == "SMTPUTF8")
        smtputf8 = true;
      else if (kw == "DSN")
        dsn = true;
      else if (kw == "STARTTLS")
        starttls = true;
      else if (kw.rfind("SIZE", 0) == 0) {
        size_ext = true;
        if (kw.size() > 5) max_size = std::strtoull(kw.c_str() + 5, nullptr, 10);
      } else if (kw.rfind("AUTH ", 0) == 0 || kw.rfind("AUTH=", 0) == 0) {
        if (kw.find(" PLAIN") != std::string::npos || kw.find("=PLAIN") != std::string::npos)
          auth_plain = true;
      }
      pos = next;
    }
  }

  asio::awaitable<core::Result<ServerReply>> ehlo() {
    auto r = co_await command("EHLO " + opts.helo_name);
    if (r && r->code == 250) parse_ehlo(r->text);
    co_return r;
  }

  core::Error session_refused(const char* step, const ServerReply& r) {
    return core::Error{r.code >= 500 ? "session_refused" : "session_deferred",
                       std::string(step) + " refused by " + opts.host + ": " +
                           std::to_string(r.code) + " " + r.text.substr(0, 200),
                       r.code < 500};
  }
};

ClientSession::ClientSession(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ClientSession::~ClientSession() = default;
bool ClientSession::reusable() const {
  return !impl_->broken;
}
bool ClientSession::message_sent() const {
  return impl_->message_sent;
}

asio::awaitable<core::Result<std::unique_ptr<ClientSession>>> ClientSession::open(
    asio::any_io_executor ex, ClientOptions opts) {
  constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
  tcp::resolver resolver(ex);
  auto [rec, endpoints] =
      co_await resolver.async_resolve(opts.host, std::to_string(opts.port), nothrow);
  if (rec) co_return core::Error::transient("connect_failed", "cannot resolve " + opts.host);
  tcp::socket sock(ex);
  asio::steady_timer timer(ex);
  auto fired = std::make_shared<std::array<bool, 2>>();  // [0] fired, [1] connect finished
  timer.expires_after(opts.connect_timeout);
  timer.async_wait([&sock, fired](boost::system::error_code ec) {
    if (ec || (*fired)[1]) return;
    (*fired)[0] = true;
    boost::system::error_code ignore;
    sock.close(ignore);
  });
  auto [cec, ep] = co_await asio::async_connect(sock, endpoints, nothrow);
  (void)ep;
  (*fired)[1] = true;
  timer.cancel();
  if ((*fired)[0])
    co_return core::Error::transient("timeout", "connect to " + opts.host + " timed out");
  if (cec)
    co_return core::Error::transient(
        "connect_failed",
        "cannot connect to " + opts.host + ":" + std::to_string(opts.port) + ": " + cec.message());
  auto impl = std::make_unique<Impl>(opts, std::move(sock));
  auto greet = co_await impl->read_reply(opts.command_timeout);
  if (!greet) co_return greet.error();
  if (greet->code != 220) co_return impl->session_refused("greeting", *greet);
  auto e = co_await impl->ehlo();
  if (!e) co_return e.error();
  if (e->code != 250) {
    auto h = co_await impl->command("HELO " + opts.helo_name);
    if (!h) co_return h.error();
    if (h->code != 250) co_return impl->session_refused("HELO", *h);
  }
  if (opts.tls != TlsMode::None) {
    if (!impl->starttls) {
      if (opts.tls == TlsMode::Required)
        co_return core::Error::transient(
            "starttls_not_offered",
            "TLS is required, but " + opts.host + " did not offer STARTTLS");
    } else {
      auto r = co_await impl->command("STARTTLS");
      if (!r) co_return r.error();
      if (r->code != 220) {
        if (opts.tls == TlsMode::Required)
          co_return core::Error::transient(
              "starttls_refused",
              "STARTTLS refused by " + opts.host + ": " + std::to_string(r->code) + " " + r->text);
      } else {
        if (!impl->in.empty())
          co_return core::Error::transient("starttls_injection",
                                           opts.host + " sent data after its STARTTLS reply");
        net::TlsClientOptions t{opts.host, opts.verify_tls, opts.tls_ca_file};
        auto st = co_await impl->stream.start_tls_client(t, opts.tls_handshake_timeout);
        if (!st) co_return st.error();
        auto e2 = co_await impl->ehlo();
        if (!e2) co_return e2.error();
        if (e2->code != 250) co_return impl->session_refused("EHLO after STARTTLS", *e2);
      }
    }
  }
  if (opts.auth_user) {
    if (!impl->auth_plain || (!impl->stream.tls() && !opts.allow_auth_without_tls))
      co_return core::Error::transient("auth_not_offered",
                                       opts.host + " offers no AUTH PLAIN over this connection");
    std::string token =
        base64_encode(std::string(1, '\0') + *opts.auth_user + '\0' + opts.auth_password);
    auto r = co_await impl->command("AUTH PLAIN " + token);
    if (!r) co_return r.error();
    if (r->code != 235)
      co_return core::Error::transient("relay_auth_failed",
                                       "authentication at " + opts.host + " failed: " +
                                           std::to_string(r->code) + " " + r->text.substr(0, 200));
  }
  co_return std::unique_ptr<ClientSession>(new ClientSession(std::move(impl)));
}

asio::awaitable<core::Result<DeliveryResult>> ClientSession::send(core::Envelope env,
                                                                  std::string message) {
  auto& s = *impl_;
  s.message_sent = false;
  DeliveryResult out;
  out.tls = s.stream.tls();
  out.dsn = s.dsn;
  auto all = [&](int code, std::string enh, std::string text) {
    out.recipients.clear();
    for (const auto& r : env.recipients) out.recipients.push_back({r.address, code, enh, text});
  };
  if (env.recipients.empty()) co_return core::Error::make("no_recipients", "no recipients");
  std::string body = dot_stuff(message);
  std::string().swap(message);
  if (s.size_ext && s.max_size && body.size() > s.max_size) {
    all(552, "5.3.4", "message exceeds the size limit of " + s.opts.host);
    co_return out;
  }
  if (env.smtputf8 && !s.smtputf8) {
    all(553, "5.6.7", s.opts.host + " does not support SMTPUTF8");
    co_return out;
  }
  std::string mail = "MAIL FROM:<" + env.mail_from + ">";
  if (s.size_ext) mail += " SIZE=" + std::to_string(body.size());
  if (s.eight_bit && env.body == core::BodyType::EightBitMime) mail += " BODY=8BITMIME";
  if (env.smtputf8) mail += " SMTPUTF8";
  if (s.dsn) {
    if (env.ret == core::DsnRet::Full) mail += " RET=FULL";
    if (env.ret == core::DsnRet::Headers) mail += " RET=HDRS";
    if (!env.envid.empty()) mail += " ENVID=" + xtext_encode(env.envid);
  }
  std::vector<std::string> cmds{mail};
  for (const auto& r : env.recipients) {
    std::string rc = "RCPT TO:<" + r.address + ">";
    if (s.dsn && r.notify) {
      if (r.notify & 8)
        rc += " NOTIFY=NEVER";
      else {
        std::string n;
        if (r.notify & 1) n += ",SUCCESS";
        if (r.notify & 2) n += ",FAILURE";
        if (r.notify & 4) n += ",DELAY";
        rc += " NOTIFY=" + n.substr(1);
      }
    }
    if (s.dsn && !r.orcpt.empty()) {
      auto semi = r.orcpt.find(';');
      if (semi != std::string::npos)
        rc += " ORCPT=" + r.orcpt.substr(0, semi) + ";" + xtext_encode(r.orcpt.substr(semi + 1));
    }
    cmds.push_back(rc);
  }
  cmds.push_back("DATA");
  // With PIPELINING everything goes in one write; otherwise one command per round trip.
  std::vector<ServerReply> replies;
  if (s.pipelining) {
    std::string batch;
    for (const auto& c : cmds) batch += c + "\r\n";
    auto st = co_await s.send_line(batch);
    if (!st) co_return st.error();
    for (std::size_t i = 0; i < cmds.size(); ++i) {
      auto r = co_await s.read_reply(s.opts.command_timeout);
      if (!r) co_return r.error();
      replies.push_back(*r);
    }
  } else {
    for (std::size_t i = 0; i < cmds.size(); ++i) {
      auto r = co_await s.command(cmds[i]);
      if (!r) co_return r.error();
      replies.push_back(*r);
      if (i == 0 && r->code != 250) break;
    }
  }
  const ServerReply& mr = replies[0];
  if (mr.code != 250) {
    all(mr.code, mr.enhanced, mr.text);
    if (replies.size() == cmds.size() && replies.back().code == 354)
      s.broken = true;
    else
      co_await s.reset();
    co_return out;
  }
  std::size_t accepted = 0;
  for (std::size_t i = 0; i < env.recipients.size(); ++i) {
    const ServerReply& r = replies[i + 1];
    out.recipients.push_back({env.recipients[i].address, r.code, r.enhanced, r.text});
    if (r.code == 250 || r.code == 251) ++accepted;
  }
  const ServerReply& dr = replies.back();
  if (dr.code != 354) {
    for (auto& r : out.recipients)
      if (r.accepted()) r = {r.address, dr.code, dr.enhanced, dr.text};
    co_await s.reset();
    co_return out;
  }
  if (accepted == 0) body = ".\r\n";  // DATA accepted without recipients: end it at once
  s.message_sent = true;
  auto st = co_await s.stream.write(body, s.opts.data_timeout);
  if (!st) {
    s.broken = true;
    co_return core::Error::transient(st.error().code == "timeout" ? "timeout" : "protocol_error",
                                     "sending the message to " + s.opts.host + " failed");
  }
  auto fr = co_await s.read_reply(s.opts.data_timeout);
  if (!fr) co_return fr.error();
  out.server_reply = std::to_string(fr->code) + " " + fr->text;
  for (auto& r : out.recipients)
    if (r.accepted()) r = {r.address, fr->code, fr->enhanced, fr->text};
  co_return out;
}

asio::awaitable<void> ClientSession::quit() {
  auto& s = *impl_;
  if (!s.broken) {
    auto old = s.opts.command_timeout;
    s.opts.command_timeout = std::min(old, std::chrono::milliseconds(5000));
    auto r = co_await s.command("QUIT");
    (void)r;
  }
  s.broken = true;
  co_await s.stream.close();
}

asio::awaitable<core::Result<DeliveryResult>> deliver(asio::any_io_executor ex, ClientOptions opts,
                                                      core::Envelope env, std::string message) {
  auto session = co_await ClientSession::open(ex, std::move(opts));
  if (!session) co_return session.error();
  auto res = co_await (*session)->send(std::move(env), std::move(message));
  co_await (*session)->quit();
  co_return res;
}

}  // namespace smimegw::smtp
