// `smimegw trace QUEUE_ID [--json]` — every decision recorded for a queued message (message
// trace, transport/trace_store.hpp): label and its source, marking, signing certificate, each
// recipient's certificate and source, refusals, warnings, outbound and inbound results.
// Exit codes: 0 printed, 1 no trace for that id or database failure, 2 usage.
#include <boost/json.hpp>
#include <iostream>

#include "args.hpp"
#include "commands.hpp"
#include "database.hpp"
#include "smimegw/core/run_sync.hpp"
#include "smimegw/core/time_format.hpp"
#include "smimegw/db/pg_trace_store.hpp"
#include "trace_render.hpp"

namespace smimegw::app {

namespace {

// "key=value key=value" from the detail object (strings unquoted).
std::string detail_text(const std::string& json) {
  boost::json::error_code ec;
  auto v = boost::json::parse(json, ec);
  if (ec || !v.is_object()) return json;
  std::string out;
  for (const auto& [k, val] : v.as_object()) {
    if (!out.empty()) out += "  ";
    out += std::string(k) + "=";
    out += val.is_string() ? std::string(val.as_string()) : boost::json::serialize(val);
  }
  return out;
}

}  // namespace

int cmd_trace(int argc, char** argv) {
  std::string err;
  auto args = parse_args(argc, argv, 1, {config_option(), {"json", 0, false, false}}, err);
  if (!args || args->positional.size() != 1) {
    report(args ? "usage: smimegw trace QUEUE_ID [--json] [-c CONFIG]" : "trace: " + err);
    return 2;
  }
  auto cfg = load_config_or_report(config_path(*args));
  if (!cfg) return 2;
  db::Pool pool(connection_options(*cfg), 1);
  db::PgTraceStore store(pool);
  const auto& id = args->positional[0];
  auto events = core::run_sync(store.list(id));
  if (!events) {
    report("trace: " + events.error().message);
    return 1;
  }
  if (events->empty()) {
    report("trace: nothing recorded for " + id);
    return 1;
  }
  if (args->has("json")) {
    auto out = trace_json(*events);
    std::cout << boost::json::serialize(out) << "\n";
    return 0;
  }
  for (const auto& e : *events) {
    std::cout << core::iso8601_utc(e.at) << "  " << e.stage << "  " << e.event;
    if (!e.recipient.empty()) std::cout << "  <" << e.recipient << ">";
    auto d = detail_text(e.detail_json);
    if (!d.empty() && d != "{}") std::cout << "  " << d;
    std::cout << "\n";
  }
  return 0;
}

}  // namespace smimegw::app
