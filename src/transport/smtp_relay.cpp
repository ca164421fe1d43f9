#include "smimegw/transport/smtp_relay.hpp"

namespace smimegw::transport {

namespace {

smtp::ClientOptions client_options(const Destination& dest, const std::string& helo) {
  smtp::ClientOptions o;
  o.host = dest.host;
  o.port = dest.port;
  o.helo_name = helo;
  o.tls = smtp::TlsMode::Opportunistic;
  if (dest.tls == "none") o.tls = smtp::TlsMode::None;
  if (dest.tls == "required") o.tls = smtp::TlsMode::Required;
  o.auth_user = dest.auth_user;
  o.auth_password = dest.auth_password;
  o.allow_auth_without_tls = dest.allow_auth_without_tls;
  return o;
}

core::Envelope envelope_of(const RelayEnvelope& in) {
  core::Envelope env;
  env.mail_from = in.mail_from;
  env.envid = in.envid;
  if (in.ret == "FULL") env.ret = core::DsnRet::Full;
  if (in.ret == "HDRS") env.ret = core::DsnRet::Headers;
  for (const auto& r : in.rcpts) env.recipients.push_back({r.address, r.notify, r.orcpt});
  return env;
}

std::vector<RelayResult> results_of(const smtp::DeliveryResult& d, std::size_t n) {
  std::vector<RelayResult> out;
  for (size_t i = 0; i < n; ++i) {
    if (i >= d.recipients.size()) {
      out.push_back({false, false, "451 4.3.0 no reply for this recipient"});
      continue;
    }
    const auto& r = d.recipients[i];
    std::string reply = std::to_string(r.code);
    if (!r.enhanced.empty()) reply += " " + r.enhanced;
    reply += " " + r.text;
    out.push_back({r.accepted(), r.permanent(), reply, d.dsn});
  }
  return out;
}

}  // namespace

SmtpRelay::SmtpRelay(boost::asio::any_io_executor ex, std::string helo_name,
                     std::size_t max_per_destination)
    : helo_(std::move(helo_name)), pool_(std::move(ex), max_per_destination, max_per_destination) {}

boost::asio::awaitable<std::vector<RelayResult>> SmtpRelay::deliver(Destination dest,
                                                                    RelayEnvelope env,
                                                                    std::string body) {
  auto n = env.rcpts.size();
  auto result =
      co_await pool_.deliver(client_options(dest, helo_), envelope_of(env), std::move(body));
  if (!result) {
    std::string reply = "451 4.4.0 ";
    if (result.error().temporary) reply = "451 4.4.1 ";
    reply += dest.key() + ": " + result.error().message;
    co_return std::vector<RelayResult>(n, RelayResult{false, false, reply});
  }
  co_return results_of(*result, n);
}

}  // namespace smimegw::transport
