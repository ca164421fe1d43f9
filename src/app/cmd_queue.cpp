// `smimegw queue list|show ID|retry ID|delete ID` — the operator's view of the durable queue.
#include <ctime>
#include <iostream>

#include "args.hpp"
#include "commands.hpp"
#include "database.hpp"
#include "smimegw/core/run_sync.hpp"
#include "smimegw/core/time_format.hpp"
#include "smimegw/db/pg_queue_store.hpp"

namespace smimegw::app {

namespace {

std::string iso(transport::TimePoint t) {
  return core::iso8601_utc(t);
}

void print_entry(const transport::QueueEntry& e, bool details) {
  std::cout << e.queue_id << "  " << iso(e.received_at) << "  " << e.source << "  " << e.size_bytes
            << " bytes  from <" << e.mail_from << ">\n";
  for (const auto& r : e.recipients) {
    std::cout << "    " << r.state << "  " << r.route << "  <" << r.address << ">";
    if (r.state == "pending") std::cout << "  next " << iso(r.next_attempt_at);
    if (details || r.state != "delivered")
      std::cout << "  attempts " << r.attempts << (r.last_reply.empty() ? "" : "  " + r.last_reply);
    std::cout << "\n";
  }
}

}  // namespace

int cmd_queue(int argc, char** argv) {
  std::string err;
  auto args = parse_args(
      argc, argv, 1, {config_option(), {"all", 0, false, false}, {"limit", 0, true, false}}, err);
  const std::string usage =
      "usage: smimegw queue list [--all] [--limit N] | show ID | retry ID | delete ID [-c CONFIG]";
  if (!args || args->positional.empty()) {
    report(args ? usage : "queue: " + err);
    return 2;
  }
  const auto& verb = args->positional[0];
  bool needs_id = verb == "show" || verb == "retry" || verb == "delete";
  if ((verb != "list" && !needs_id) || (needs_id && args->positional.size() != 2) ||
      (verb == "list" && args->positional.size() != 1)) {
    report(usage);
    return 2;
  }
  int limit = 100;
  if (args->has("limit")) {
    try {
      limit = std::stoi(args->get("limit"));
    } catch (...) {
      limit = -1;
    }
    if (limit < 1 || limit > 100000) {
      report("queue: --limit must be 1..100000");
      return 2;
    }
  }
  auto cfg = load_config_or_report(config_path(*args));
  if (!cfg) return 2;
  db::Pool pool(connection_options(*cfg), 1);
  db::PgQueueStore store(pool);
  if (verb == "list") {
    auto r = core::run_sync(store.list(!args->has("all"), limit));
    if (!r) {
      report(r.error().message);
      return 1;
    }
    for (const auto& e : *r) print_entry(e, false);
    std::cerr << r->size() << " message(s)\n";
    return 0;
  }
  const auto& id = args->positional[1];
  if (verb == "show") {
    auto r = core::run_sync(store.show(id));
    if (!r) {
      report(r.error().message);
      return 1;
    }
    if (!*r) {
      report("no queued message " + id);
      return 1;
    }
    print_entry(**r, true);
    return 0;
  }
  if (verb == "retry") {
    auto r = core::run_sync(store.retry(id));
    if (!r) {
      report(r.error().message);
      return 1;
    }
    std::cout << id << ": " << *r << " recipient(s) due now\n";
    return 0;
  }
  auto r = core::run_sync(store.remove(id));
  if (!r) {
    report(r.error().message);
    return 1;
  }
  std::cout << id << ": deleted\n";
  return 0;
}

}  // namespace smimegw::app
