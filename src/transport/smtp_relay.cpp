#include "smimegw/transport/smtp_relay.hpp"

namespace smimegw::transport {

SmtpRelay::SmtpRelay(boost::asio::any_io_executor ex, std::string helo_name,
                     std::size_t max_per_destination)
    : helo_(std::move(helo_name)), pool_(std::move(ex), max_per_destination) {}

boost::asio::awaitable<std::vector<RelayResult>> SmtpRelay::deliver(Destination dest,
                                                                    std::string mail_from,
                                                                    std::vector<std::string> rcpts,
                                                                    std::string body) {
  smtp::ClientOptions o;
  o.host = dest.host;
  o.port = dest.port;
  o.helo_name = helo_;
  o.tls = dest.tls == "none"       ? smtp::TlsMode::None
          : dest.tls == "required" ? smtp::TlsMode::Required
                                   : smtp::TlsMode::Opportunistic;
  core::Envelope env;
  env.mail_from = std::move(mail_from);
  for (const auto& r : rcpts) env.recipients.push_back({r, 0, ""});
  auto result = co_await pool_.deliver(o, env, std::move(body));
  std::vector<RelayResult> out;
  if (!result) {
    auto reply = std::string(result.error().temporary ? "451 4.4.1 " : "451 4.4.0 ") + dest.key() +
                 ": " + result.error().message;
    out.assign(rcpts.size(), RelayResult{false, false, reply});
    co_return out;
  }
  for (size_t i = 0; i < rcpts.size(); ++i) {
    if (i >= result->recipients.size()) {
      out.push_back({false, false, "451 4.3.0 no reply for this recipient"});
      continue;
    }
    const auto& r = result->recipients[i];
    std::string reply =
        std::to_string(r.code) + (r.enhanced.empty() ? "" : " " + r.enhanced) + " " + r.text;
    out.push_back({r.accepted(), r.permanent(), reply});
  }
  co_return out;
}

}  // namespace smimegw::transport
