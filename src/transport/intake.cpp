#include "smimegw/transport/intake.hpp"

#include <algorithm>

#include "smimegw/core/address.hpp"
#include "smimegw/mime/address_list.hpp"
#include "smimegw/mime/parser.hpp"
#include "smimegw/obs/log.hpp"

namespace smimegw::transport {

namespace asio = boost::asio;
using core::Error;

namespace {

core::RecipientVerdict refuse(std::string code, std::string message) {
  return {false, Error::make(std::move(code), std::move(message))};
}

bool owns(const directory::User& u, const std::string& key) {
  return u.address == key || std::find(u.proxy_addresses.begin(), u.proxy_addresses.end(), key) !=
                                 u.proxy_addresses.end();
}

// Plain functions keep loops and early returns out of the coroutines (g++ 12 has mis-destroyed
// coroutine parameters when a co_return sits inside a range-for).
core::Status check_sender(const std::optional<directory::User>& user, const std::string& mail_from,
                          const std::string& from_header) {
  if (!user || !user->enabled) return Error::make("send_as_denied", "unknown sender account");
  if (!owns(*user, core::ascii_lower(mail_from)))
    return Error::make("send_as_denied", "envelope sender " + mail_from +
                                             " is not an address of the authenticated user");
  auto from = mime::parse_address_list(from_header);
  if (from.empty()) return Error::make("send_as_denied", "the message has no valid From: address");
  for (const auto& mb : from)
    if (!owns(*user, core::ascii_lower(mb.address)))
      return Error::make("send_as_denied",
                         "From: " + mb.address + " is not an address of the authenticated user");
  return {};
}

core::Result<NewMessage> build_message(const core::Envelope& env, const std::string& source,
                                       const std::string& message_id) {
  NewMessage msg;
  msg.queue_id = new_queue_id();
  msg.source = source;
  msg.mail_from = env.mail_from;
  msg.auth_user = env.authenticated_user;
  msg.client_address = env.client_address;
  msg.envid = env.envid;
  msg.ret = env.ret == core::DsnRet::Full ? "FULL" : env.ret == core::DsnRet::Headers ? "HDRS" : "";
  msg.message_id = message_id.substr(0, 998);
  for (const auto& r : env.recipients) {
    auto addr = core::Address::parse(r.address);
    if (!addr) return Error::make("bad_address", "recipient address is not valid: " + r.address);
    msg.recipients.push_back({addr->str(), r.orcpt, r.notify, Route::Relay});
  }
  return msg;
}

}  // namespace

Intake::Intake(QueueStore& queue, directory::UserStore& users, IntakeOptions opts,
               CommitHook on_commit)
    : queue_(queue), users_(users), opts_(std::move(opts)), on_commit_(std::move(on_commit)) {}

bool Intake::is_local_domain(const std::string& domain) const {
  auto d = core::ascii_lower(domain);
  return std::find(opts_.accepted_domains.begin(), opts_.accepted_domains.end(), d) !=
         opts_.accepted_domains.end();
}

asio::awaitable<core::RecipientVerdict> Intake::check_recipient(const core::Envelope& env,
                                                                const core::Recipient& rcpt) {
  auto addr = core::Address::parse(rcpt.address);
  if (!addr)
    co_return refuse("bad_address", "recipient address is not valid: " + addr.error().message);
  if (!is_local_domain(addr->domain())) {
    if (opts_.source == "inbound" && opts_.relay_networks.contains(env.client_address))
      co_return core::RecipientVerdict{};
    if (opts_.source == "inbound")
      co_return refuse("relay_denied", "relaying to " + addr->domain() + " is not allowed here");
    if (!env.authenticated_user)
      co_return refuse("auth_required", "authentication required to relay");
    co_return core::RecipientVerdict{};
  }
  auto user = co_await users_.find_by_address(addr->key());
  if (!user)
    co_return core::RecipientVerdict{
        false, Error::transient("db_unavailable", "directory unavailable, try again later")};
  if (!*user || !(*user)->enabled)
    co_return refuse("unknown_user", "no mailbox here by that name: " + addr->str());
  co_return core::RecipientVerdict{};
}

asio::awaitable<core::Result<core::Accepted>> Intake::accept(core::Envelope env,
                                                             std::string message) {
  if (env.recipients.empty()) co_return Error::make("no_recipients", "no valid recipients");
  auto parsed = mime::parse(message);
  if (!parsed)
    co_return Error::make("malformed_message",
                          "message header cannot be parsed: " + parsed.error().message);
  std::string message_id = parsed->header("Message-ID");

  if (opts_.source == "submission" || opts_.source == "api") {
    if (!env.authenticated_user) co_return Error::make("auth_required", "authentication required");
    auto user = co_await users_.find_by_address(core::ascii_lower(*env.authenticated_user));
    if (!user) co_return user.error();
    auto allowed = check_sender(*user, env.mail_from, parsed->header("From"));
    if (!allowed) co_return allowed.error();
  }

  auto built = build_message(env, opts_.source, message_id);
  if (!built) co_return built.error();
  NewMessage msg = std::move(*built);
  for (auto& r : msg.recipients)
    if (is_local_domain(r.address.substr(r.address.rfind('@') + 1))) r.route = Route::Local;
  msg.body = std::move(message);
  auto queue_id = msg.queue_id;
  auto committed = co_await queue_.enqueue(std::move(msg));
  if (!committed) {
    auto log = obs::logger("transport");
    obs::log(*log, spdlog::level::warn, "enqueue_failed", {{"error", committed.error().code}});
    co_return Error::transient("queue_unavailable", "message not queued, try again later");
  }
  auto log = obs::logger("transport");
  obs::log(*log, spdlog::level::info, "queued",
           {{"queue_id", queue_id},
            {"source", opts_.source},
            {"rcpts", std::to_string(env.recipients.size())},
            {"message_id", message_id.substr(0, 200)}});
  if (on_commit_) on_commit_();
  co_return core::Accepted{queue_id, {}};
}

}  // namespace smimegw::transport
