// smtp: STARTTLS (RFC 3207) and AUTH PLAIN / LOGIN (RFC 4954) for server sessions.
//
// STARTTLS: refused (554 5.5.1, connection closed) when the client pipelined anything after it —
// plaintext injected before the handshake must never be executed inside TLS (CVE-2011-0411).
// After the handshake every piece of session state is discarded (HELO, transaction, AUTH).
// AUTH: submission listeners only; only over TLS unless allow_auth_without_tls and a loopback peer
// (538 5.7.11 otherwise). Credentials are never logged; only the identity on success.
#include "base64.hpp"
#include "session.hpp"

namespace smimegw::smtp::detail {

namespace asio = boost::asio;

asio::awaitable<Next> Session::on_starttls(const Command& cmd) {
  if (!cmd.arg.empty()) co_return fail("syntax_error", "STARTTLS takes no argument");
  if (!srv_.tls || stream_.tls()) co_return fail("bad_sequence", "TLS not available");
  if (in_pos_ < in_.size()) {
    log_event("smtp_starttls_injection", {{"bytes", std::to_string(in_.size() - in_pos_)}});
    in_.clear();
    in_pos_ = 0;
    reply(reply_for("starttls_pipelined"));
    co_return Next::Close;
  }
  reply(220, "2.0.0", "Ready to start TLS");
  if (!co_await flush()) co_return Next::Close;
  auto st = co_await stream_.start_tls_server(srv_.tls, limits_.tls_handshake_timeout);
  if (!st) {
    log_event("smtp_tls", {{"result", "failed"}, {"reason", st.error().message}});
    closed_ = true;
    co_return Next::Close;
  }
  log_event("smtp_tls", {{"result", "ok"}, {"cipher", stream_.tls_description()}});
  // RFC 3207 §4.2: forget everything learnt before the handshake.
  helo_.clear();
  esmtp_ = false;
  auth_identity_.reset();
  in_.clear();
  in_pos_ = 0;
  reset_transaction();
  co_return Next::Continue;
}

bool Session::auth_offered() const {
  if (srv_.opts.mode != Mode::Submission || !srv_.auth || auth_identity_) return false;
  return stream_.tls() || (srv_.opts.allow_auth_without_tls && loopback_);
}

asio::awaitable<std::optional<std::string>> Session::auth_response(std::string challenge) {
  reply(334, "", challenge);
  auto line = co_await next_line(limits_.command_timeout);
  if (!line) co_return std::nullopt;
  if (line->too_long) co_return std::string("\x01too_long");
  co_return line->text;
}

asio::awaitable<Next> Session::on_auth(const Command& cmd) {
  if (srv_.opts.mode != Mode::Submission || !srv_.auth) co_return fail("not_implemented");
  if (helo_.empty() || !esmtp_) co_return fail("bad_sequence", "Send EHLO first");
  if (auth_identity_) co_return fail("bad_sequence", "Already authenticated");
  if (in_transaction_) co_return fail("bad_sequence", "AUTH not allowed during a transaction");
  if (!stream_.tls() && !(srv_.opts.allow_auth_without_tls && loopback_))
    co_return fail("encryption_required");
  auto sp = cmd.arg.find(' ');
  std::string mech = cmd.arg.substr(0, sp);
  for (auto& c : mech) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::optional<std::string> initial;
  if (sp != std::string::npos) initial = cmd.arg.substr(sp + 1);
  if (mech != "PLAIN" && mech != "LOGIN") co_return fail("auth_mechanism");

  // Collect the responses: PLAIN one (authzid NUL authcid NUL passwd), LOGIN two.
  std::vector<std::string> answers;
  const std::vector<std::string> prompts =
      mech == "PLAIN" ? std::vector<std::string>{""}
                      : std::vector<std::string>{"VXNlcm5hbWU6", "UGFzc3dvcmQ6"};
  for (std::size_t i = 0; i < prompts.size(); ++i) {
    std::optional<std::string> raw;
    if (i == 0 && initial) {
      raw = *initial == "=" ? std::string() : *initial;
    } else {
      raw = co_await auth_response(prompts[i]);
      if (!raw) co_return Next::Close;
      if (*raw == "\x01too_long") co_return fail("auth_line_too_long");
    }
    if (*raw == "*") co_return fail("auth_canceled");
    auto dec = base64_decode(*raw);
    if (!dec) co_return fail("syntax_error", "Invalid base64 data");
    answers.push_back(std::move(*dec));
  }
  std::string user, password;
  if (mech == "PLAIN") {
    const std::string& s = answers[0];
    auto a = s.find('\0');
    auto b = a == std::string::npos ? a : s.find('\0', a + 1);
    if (b == std::string::npos) co_return fail("syntax_error", "Malformed PLAIN response");
    std::string authz = s.substr(0, a);
    user = s.substr(a + 1, b - a - 1);
    password = s.substr(b + 1);
    if (!authz.empty() && authz != user) co_return fail("auth_failed");
  } else {
    user = std::move(answers[0]);
    password = std::move(answers[1]);
  }
  core::Result<std::string> res = core::Error::transient("auth_unavailable", "");
  try {
    res = co_await srv_.auth->check(std::move(user), std::move(password));
  } catch (const std::exception&) {
    res = core::Error::transient("auth_unavailable", "");
  }
  if (!res) {
    log_event("smtp_auth", {{"result", "failed"}, {"mechanism", mech}});
    if (res.error().temporary && res.error().code != "auth_failed") {
      reply(reply_for("auth_unavailable"));
      co_return Next::Continue;
    }
    co_return fail("auth_failed");
  }
  auth_identity_ = *res;
  env_.authenticated_user = auth_identity_;
  log_event("smtp_auth", {{"result", "ok"}, {"mechanism", mech}, {"identity", *res}});
  reply(235, "2.7.0", "Authentication successful");
  co_return Next::Continue;
}

}  // namespace smimegw::smtp::detail
