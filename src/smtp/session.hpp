// smtp: one server session (private). The loop lives in session.cpp, the command handlers in
// session_commands.cpp, STARTTLS and AUTH in session_tls_auth.cpp.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>

#include "server_impl.hpp"
#include "smimegw/core/envelope.hpp"
#include "smimegw/smtp/command.hpp"
#include "smimegw/smtp/reply_map.hpp"
#include "stream.hpp"

namespace smimegw::smtp::detail {

/// What the loop does after a command.
enum class Next { Continue, Close };

class Session {
 public:
  Session(Server::Impl& srv, Stream& stream, std::string peer, bool loopback, std::string sid);
  /// Runs the whole session; `refusal` is a reply-map code to greet with (connection limits).
  boost::asio::awaitable<void> run(std::optional<std::string> refusal);

 private:
  struct Line {
    std::string text;
    bool too_long = false;
  };
  // session.cpp: the loop, buffers, replies
  boost::asio::awaitable<std::optional<Line>> next_line(std::chrono::milliseconds timeout);
  boost::asio::awaitable<bool> flush();
  void reply(int code, std::string enhanced, std::string text);
  void reply(const Reply& r);
  /// Sends the reply for a client error and counts it; Close when the error limit is passed.
  Next fail(const core::Error& e);
  Next fail(std::string code, std::string message = "");
  boost::asio::awaitable<Next> dispatch(const Command& cmd);
  void reset_transaction();
  void log_event(std::string_view event, std::initializer_list<obs::Field> fields);

  // session_commands.cpp
  Next on_helo(const Command& cmd, bool ehlo);
  Next on_mail(const Command& cmd);
  boost::asio::awaitable<Next> on_rcpt(const Command& cmd);
  boost::asio::awaitable<Next> on_data(const Command& cmd);
  boost::asio::awaitable<void> deliver(std::string message, std::uint64_t wire_bytes);

  // session_tls_auth.cpp
  boost::asio::awaitable<Next> on_starttls(const Command& cmd);
  boost::asio::awaitable<Next> on_auth(const Command& cmd);
  bool auth_offered() const;
  boost::asio::awaitable<std::optional<std::string>> auth_response(std::string challenge);

  Server::Impl& srv_;
  const Limits& limits_;
  Stream& stream_;
  std::string peer_;
  bool loopback_;
  std::string sid_;

  std::string in_;  // received, not yet parsed
  std::size_t in_pos_ = 0;
  bool discarding_ = false;  // inside an over-long command line
  std::string out_;          // replies not yet written
  std::size_t out_count_ = 0;
  int errors_ = 0;
  bool closed_ = false;
  bool timed_out_ = false;

  std::string helo_;
  bool esmtp_ = false;
  std::optional<std::string> auth_identity_;
  bool in_transaction_ = false;
  core::Envelope env_;
  std::size_t rcpt_attempts_ = 0;
  std::uint64_t message_no_ = 0;
};

}  // namespace smimegw::smtp::detail
