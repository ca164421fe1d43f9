// app: `smimegw trust`, the virtual certificate collection against the configured database.
//
//   smimegw trust add FILE... [-c CONFIG] [--by NAME] [--json]   import PEM/DER/.p7b/.sst files
//   smimegw trust list [-c CONFIG] [--json] [--enabled]
//   smimegw trust enable|disable|remove ID [-c CONFIG]
//
// `add` prints one line per certificate, "FILE: ORIGIN: STATUS [id=N] SUBJECT (DETAIL)", then a
// summary; statuses are those of trust/collection.hpp. Exit codes: 0 every certificate was added
// or already present (duplicate); 1 something was refused (expired, not_ca, unparsable,
// not_certificate), a file could not be read or is malformed, an id does not exist, or the
// database failed; 2 usage error or invalid configuration. The schema must be current (run
// `smimegw migrate` first); --by defaults to $USER.
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "args.hpp"
#include "commands.hpp"
#include "database.hpp"
#include "smimegw/core/clock.hpp"
#include "smimegw/core/time_format.hpp"
#include "smimegw/db/anchor_store.hpp"
#include "smimegw/obs/log.hpp"
#include "smimegw/trust/collection.hpp"

namespace smimegw::app {
namespace {

std::string utc(std::chrono::system_clock::time_point t) {
  return core::iso8601_utc(t);
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::optional<std::vector<std::uint8_t>> read_input(const std::string& path, std::string& error) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    error = path + ": cannot read: Is a directory";
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": cannot read: " + std::strerror(errno);
    return std::nullopt;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) {
    error = path + ": cannot read";
    return std::nullopt;
  }
  auto s = ss.str();
  return std::vector<std::uint8_t>(s.begin(), s.end());
}

// One line per certificate, or with --json one array element per certificate:
// {"file","origin","status","id","subject","sha256","is_root","detail"}; a file that could not be
// read or parsed is an element with status "error" and its code in "detail".
int run_add(trust::Collection& coll, const Args& a) {
  if (a.positional.size() < 2) {
    report("trust add: give one or more certificate files");
    return 2;
  }
  const bool json = a.has("json");
  const char* user = std::getenv("USER");
  std::string by = a.get("by", user ? user : "cli");
  bool failed = false;
  std::size_t added = 0, duplicate = 0, refused = 0;
  std::vector<std::string> json_items;
  for (std::size_t i = 1; i < a.positional.size(); ++i) {
    const auto& path = a.positional[i];
    std::string err;
    auto bytes = read_input(path, err);
    core::Result<trust::ImportReport> r = core::Error::make("unreadable", err);
    if (bytes) r = coll.import(*bytes, by);
    if (!r) {
      report(bytes ? path + ": " + r.error().code + ": " + r.error().message : err);
      json_items.push_back("{\"file\": " + json_string(path) +
                           ", \"status\": \"error\", \"detail\": " + json_string(r.error().code) +
                           ", \"message\": " + json_string(r.error().message) + "}");
      failed = true;
      continue;
    }
    for (const auto& o : r->items) {
      if (json) {
        json_items.push_back(
            "{\"file\": " + json_string(path) + ", \"origin\": " + json_string(o.origin) +
            ", \"status\": " + json_string(o.status) +
            ", \"id\": " + (o.id ? std::to_string(*o.id) : "null") +
            ", \"subject\": " + json_string(o.subject) + ", \"sha256\": " + json_string(o.sha256) +
            ", \"is_root\": " + (o.is_root ? "true" : "false") +
            ", \"detail\": " + json_string(o.detail) + "}");
      } else {
        std::cout << path << ": " << o.origin << ": " << o.status;
        if (o.id) std::cout << " id=" << *o.id;
        if (!o.subject.empty()) std::cout << " " << o.subject;
        std::cout << " (" << o.detail << ")\n";
      }
      // Audit trail: a change of what the gateway trusts is always logged.
      obs::log(*obs::logger("trust"),
               o.status == "added" || o.status == "duplicate" ? spdlog::level::info
                                                              : spdlog::level::warn,
               o.status == "added" ? "trust_anchor_added" : "trust_anchor_not_added",
               {{"status", o.status},
                {"id", o.id ? std::to_string(*o.id) : ""},
                {"sha256", o.sha256},
                {"subject", o.subject},
                {"by", by},
                {"file", path},
                {"origin", o.origin}});
      if (o.status == "added") {
        ++added;
      } else if (o.status == "duplicate") {
        ++duplicate;
      } else {
        ++refused;
        failed = true;
      }
    }
  }
  if (json) {
    std::cout << "[";
    for (std::size_t i = 0; i < json_items.size(); ++i)
      std::cout << (i ? ",\n  " : "\n  ") << json_items[i];
    std::cout << (json_items.empty() ? "]\n" : "\n]\n");
  } else {
    std::cout << "added " << added << ", duplicate " << duplicate << ", refused " << refused
              << "\n";
  }
  return failed ? 1 : 0;
}

int run_list(trust::Collection& coll, const Args& a) {
  auto all = coll.list(a.has("enabled"));
  if (!all) {
    report("trust list: " + all.error().message);
    return 1;
  }
  if (a.has("json")) {
    std::cout << "[";
    bool first = true;
    for (const auto& s : *all) {
      std::cout << (first ? "\n" : ",\n") << "  {\"id\": " << s.id
                << ", \"subject\": " << json_string(s.subject)
                << ", \"issuer\": " << json_string(s.issuer) << ", \"sha256\": \"" << s.sha256
                << "\", \"is_root\": " << (s.is_root ? "true" : "false")
                << ", \"enabled\": " << (s.enabled ? "true" : "false") << ", \"not_after\": \""
                << utc(s.not_after) << "\", \"added_by\": " << json_string(s.added_by)
                << ", \"added_at\": \"" << utc(s.added_at) << "\"}";
      first = false;
    }
    std::cout << (first ? "]\n" : "\n]\n");
    return 0;
  }
  for (const auto& s : *all)
    std::cout << s.id << "\t" << (s.enabled ? "enabled " : "disabled") << "\t"
              << (s.is_root ? "root" : "intermediate") << "\t" << utc(s.not_after) << "\t"
              << s.sha256.substr(0, 16) << "\t" << s.subject << "\n";
  if (all->empty()) std::cerr << "smimegw: the trust collection is empty\n";
  return 0;
}

int run_by_id(trust::Collection& coll, const Args& a) {
  const std::string& verb = a.positional[0];
  if (a.positional.size() != 2) {
    report("trust " + verb + ": give exactly one ID");
    return 2;
  }
  std::int64_t id = 0;
  try {
    std::size_t used = 0;
    id = std::stoll(a.positional[1], &used);
    if (used != a.positional[1].size() || id <= 0) throw std::invalid_argument("id");
  } catch (const std::exception&) {
    report("trust " + verb + ": bad ID \"" + a.positional[1] + "\" (see smimegw trust list)");
    return 2;
  }
  core::Status s = verb == "remove" ? coll.remove(id) : coll.set_enabled(id, verb == "enable");
  if (!s) {
    report("trust " + verb + ": " + s.error().message);
    return 1;
  }
  obs::log(*obs::logger("trust"), spdlog::level::info,
           "trust_anchor_" + (verb == "remove" ? std::string("removed") : verb + "d"),
           {{"id", std::to_string(id)}});
  std::cout << (verb == "remove" ? "removed" : verb + "d") << " " << id << "\n";
  return 0;
}

}  // namespace

int cmd_trust(int argc, char** argv) {
  std::string err;
  auto args = parse_args(
      argc, argv, 1,
      {config_option(), {"by"}, {"json", 0, false, false}, {"enabled", 0, false, false}}, err);
  if (!args) {
    report("trust: " + err);
    return 2;
  }
  static const std::vector<std::string> verbs = {"add", "list", "enable", "disable", "remove"};
  if (args->positional.empty() ||
      std::find(verbs.begin(), verbs.end(), args->positional[0]) == verbs.end()) {
    report(
        "usage: smimegw trust add FILE... [--by NAME] [--json] | list [--json] [--enabled] | "
        "enable ID | disable ID | remove ID  [-c CONFIG]");
    return 2;
  }
  const std::string verb = args->positional[0];
  if ((verb != "list" && args->has("enabled")) ||
      (verb != "list" && verb != "add" && args->has("json"))) {
    report("trust " + verb + ": --json belongs to trust add/list, --enabled to trust list");
    return 2;
  }
  if (verb != "add" && args->has("by")) {
    report("trust " + verb + ": --by belongs to trust add");
    return 2;
  }
  if (verb == "list" && args->positional.size() > 1) {
    report("trust list: unexpected argument " + args->positional[1]);
    return 2;
  }
  auto cfg = load_config_or_report(config_path(*args));
  if (!cfg) return 2;
  obs::init_logging(cfg->log.level);
  if (auto gate = check_database(*cfg); !gate) {
    report(gate.error().message);
    return 1;
  }
  db::Pool pool(connection_options(*cfg), 1);
  db::PgAnchorStore store(pool);
  core::SystemClock clock;
  trust::Collection coll(store, clock);
  if (verb == "add") return run_add(coll, *args);
  if (verb == "list") return run_list(coll, *args);
  return run_by_id(coll, *args);
}

}  // namespace smimegw::app
