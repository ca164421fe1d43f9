#include "smimegw/obs/log.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <mutex>

namespace smimegw::obs {
namespace {

std::mutex g_mutex;
spdlog::level::level_enum g_level = spdlog::level::info;
std::shared_ptr<spdlog::sinks::sink> g_sink;

std::shared_ptr<spdlog::sinks::sink> sink_locked() {
  if (!g_sink) g_sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  return g_sink;
}

}  // namespace

void init_logging(std::string_view level) {
  std::lock_guard lock(g_mutex);
  g_level = spdlog::level::from_str(std::string(level));
  auto sink = sink_locked();
  sink->set_formatter(std::make_unique<spdlog::pattern_formatter>("%Y-%m-%dT%H:%M:%S.%eZ %l %n %v",
                                                                  spdlog::pattern_time_type::utc));
  spdlog::apply_all([&](const std::shared_ptr<spdlog::logger>& l) { l->set_level(g_level); });
}

std::shared_ptr<spdlog::logger> logger(const std::string& module) {
  std::lock_guard lock(g_mutex);
  if (auto l = spdlog::get(module)) return l;
  auto l = std::make_shared<spdlog::logger>(module, sink_locked());
  l->set_level(g_level);
  l->flush_on(spdlog::level::info);
  spdlog::register_logger(l);
  return l;
}

std::string format_event(std::string_view event, std::initializer_list<Field> fields) {
  std::string out = "event=";
  out += event;
  for (const auto& [k, v] : fields) {
    out += ' ';
    out += k;
    out += '=';
    bool quote = v.empty() || v.find_first_of(" \t\"=") != std::string::npos;
    if (quote) out += '"';
    for (char c : v) {
      if (c == '"' || c == '\\') {
        out += '\\';
        out += c;
      } else if (c == '\n') {
        out += "\\n";
      } else if (c == '\r') {
        out += "\\r";
      } else if (static_cast<unsigned char>(c) < 0x20) {
        out += '?';
      } else {
        out += c;
      }
    }
    if (quote) out += '"';
  }
  return out;
}

}  // namespace smimegw::obs
