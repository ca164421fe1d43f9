#include "smimegw/transport/intake.hpp"

#include <algorithm>

#include "policy_gate_facts.hpp"
#include "smimegw/core/address.hpp"
#include "smimegw/mime/address_list.hpp"
#include "smimegw/mime/parser.hpp"
#include "smimegw/obs/log.hpp"
#include "smimegw/transport/policy_gate.hpp"

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
                                       const std::string& message_id) {  // (recipients below)
  NewMessage msg;
  msg.queue_id = new_queue_id();
  msg.source = source;
  msg.mail_from = env.mail_from;
  msg.auth_user = env.authenticated_user;
  msg.client_address = env.client_address;
  msg.envid = env.envid;
  msg.ret = env.ret == core::DsnRet::Full ? "FULL" : env.ret == core::DsnRet::Headers ? "HDRS" : "";
  msg.message_id = message_id.substr(0, 998);
  return msg;
}

// Lower-case addresses named in To: and Cc: (every other envelope recipient is a Bcc).
std::vector<std::string> named_recipients(const mime::Message& msg) {
  std::vector<std::string> out;
  for (const char* field : {"To", "Cc"})
    for (const auto& mb : mime::parse_address_list(msg.header(field)))
      out.push_back(core::ascii_lower(mb.address));
  return out;
}

core::Result<std::vector<std::string>> recipient_keys(const core::Envelope& env) {
  std::vector<std::string> keys;
  for (const auto& r : env.recipients) {
    auto addr = core::Address::parse(r.address);
    if (!addr) return Error::make("bad_address", "recipient address is not valid: " + r.address);
    keys.push_back(addr->key());
  }
  return keys;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

struct Intake::Expanded {
  std::vector<NewRecipient> recipients;
  std::vector<GateRecipient> gate;
  std::vector<std::string> problems;  ///< "group: code: message" of incomplete expansions
};

namespace {

// Adds one delivery address (first occurrence wins).
void add_recipient(Intake::Expanded& out, const std::string& address, const core::Recipient& from,
                   bool bcc, std::vector<std::string> via) {
  for (const auto& r : out.recipients)
    if (r.address == address) return;
  out.recipients.push_back({address, from.orcpt, from.notify, Route::Relay});
  out.gate.push_back({address, bcc, std::move(via)});
}

void add_expansion(Intake::Expanded& out, const directory::Expansion& e,
                   const core::Recipient& from, bool bcc) {
  for (const auto& m : e.members) {
    auto path = m.path;
    if (path.empty()) path.push_back(e.group);
    add_recipient(out, core::ascii_lower(m.member.address), from, bcc, path);
  }
  for (const auto& p : e.problems)
    if (p.code != "cycle") out.problems.push_back(e.group + ": " + p.code + ": " + p.message);
}

}  // namespace

asio::awaitable<core::Result<Intake::Expanded>> Intake::expand(core::Envelope env,
                                                               std::vector<std::string> named) {
  Expanded out;
  auto parsed_keys = recipient_keys(env);
  if (!parsed_keys) co_return parsed_keys.error();
  std::vector<std::string> keys = std::move(*parsed_keys);
  std::vector<std::string> groups;
  if (groups_ && expander_) {
    auto found = co_await groups_->groups_among(keys);
    if (!found)
      co_return Error::transient("db_unavailable", "directory unavailable, try again later");
    groups = std::move(*found);
  }
  for (std::size_t i = 0; i < keys.size(); ++i) {
    bool bcc = !contains(named, keys[i]);
    if (!contains(groups, keys[i])) {
      auto addr = core::Address::parse(env.recipients[i].address);
      std::string shown = addr ? addr->str() : keys[i];
      add_recipient(out, shown, env.recipients[i], bcc, {});
      continue;
    }
    auto expansion = co_await expander_->expand(keys[i]);
    if (!expansion)
      out.problems.push_back(keys[i] + ": " + expansion.error().code + ": " +
                             expansion.error().message);
    else
      add_expansion(out, *expansion, env.recipients[i], bcc);
  }
  co_return out;
}

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
  if (*user && (*user)->enabled) co_return core::RecipientVerdict{};
  if (!*user && groups_) {
    auto group = co_await groups_->find(addr->key());
    if (!group)
      co_return core::RecipientVerdict{
          false, Error::transient("db_unavailable", "directory unavailable, try again later")};
    if (*group) co_return core::RecipientVerdict{};
  }
  co_return refuse("unknown_user", "no mailbox here by that name: " + addr->str());
}

asio::awaitable<core::Result<core::Accepted>> Intake::accept(core::Envelope env,
                                                             std::string message) {
  if (env.recipients.empty()) co_return Error::make("no_recipients", "no valid recipients");
  auto raw = std::make_shared<const std::string>(std::move(message));
  auto parsed = mime::parse(*raw);
  if (!parsed)
    co_return Error::make("malformed_message",
                          "message header cannot be parsed: " + parsed.error().message);
  std::string message_id = parsed->header("Message-ID");
  bool authenticated_source = opts_.source == "submission" || opts_.source == "api";

  std::optional<directory::User> sender;
  if (authenticated_source) {
    if (!env.authenticated_user) co_return Error::make("auth_required", "authentication required");
    auto user = co_await users_.find_by_address(core::ascii_lower(*env.authenticated_user));
    if (!user) co_return user.error();
    auto allowed = check_sender(*user, env.mail_from, parsed->header("From"));
    if (!allowed) co_return allowed.error();
    sender = **user;
  }

  auto expanded = co_await expand(env, named_recipients(*parsed));
  if (!expanded) co_return expanded.error();
  if (expanded->recipients.empty())
    co_return Error::make("no_recipients", "no deliverable recipients after group expansion");
  if (authenticated_source && !expanded->problems.empty()) {
    std::string text;
    for (const auto& p : expanded->problems) text += (text.empty() ? "" : "\n") + p.substr(0, 300);
    co_return Error::make("policy_refused", text);
  }

  std::optional<GateResult> gated;
  if (authenticated_source && gate_) {
    auto r = co_await gate_->evaluate(*sender, expanded->gate, raw);
    if (!r) {
      auto log = obs::logger("transport");
      obs::log(*log, spdlog::level::info, "refused",
               {{"source", opts_.source},
                {"sender", sender->address},
                {"code", r.error().code},
                {"message_id", message_id.substr(0, 200)}});
      co_return r.error();
    }
    gated = std::move(*r);
  }

  auto built = build_message(env, opts_.source, message_id);
  if (!built) co_return built.error();
  NewMessage msg = std::move(*built);
  msg.recipients = std::move(expanded->recipients);
  for (auto& r : msg.recipients)
    if (is_local_domain(r.address.substr(r.address.rfind('@') + 1))) r.route = Route::Local;
  std::vector<std::string> warnings;
  if (gated) {
    if (gated->needs_processing) msg.plan_json = to_json(gated->plan);
    msg.label_id = gated->plan.label_id;
    msg.trace = std::move(gated->trace);
    for (auto& t : msg.trace) t.queue_id = msg.queue_id;
    warnings = gated->warnings;
  }
  for (const auto& p : expanded->problems)
    msg.trace.push_back({msg.queue_id,
                         "intake",
                         "group_expansion_incomplete",
                         "",
                         gate::json_object({{"problem", p.substr(0, 300)}}),
                         {}});
  msg.body = *raw;
  raw.reset();
  auto queue_id = msg.queue_id;
  auto rcpt_count = msg.recipients.size();
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
            {"rcpts", std::to_string(rcpt_count)},
            {"message_id", message_id.substr(0, 200)}});
  if (on_commit_) on_commit_();
  co_return core::Accepted{queue_id, warnings};
}

}  // namespace smimegw::transport
