// obs: structured logging. One spdlog logger per module, writing to standard error lines of the
// form
//   2026-11-23T03:28:24.123Z info db event=db_connected pool_size=4
// The first field is always a stable event name; the rest are key=value fields. Values that could
// contain spaces are quoted. Message bodies, keys and passwords are never passed here (STYLE.md 9).
#pragma once

#include <spdlog/spdlog.h>

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace smimegw::obs {

/// Sets up the sink and the level ("trace".."error") for every module logger. Call once at start.
void init_logging(std::string_view level);

/// The logger of one module ("db", "http", "smtp", ...), created on first use.
std::shared_ptr<spdlog::logger> logger(const std::string& module);

using Field = std::pair<std::string_view, std::string>;

/// Formats "event=NAME k=v k2=\"v w\"". Values are escaped so one log record stays one line.
std::string format_event(std::string_view event, std::initializer_list<Field> fields);

inline void log(spdlog::logger& l, spdlog::level::level_enum lvl, std::string_view event,
                std::initializer_list<Field> fields = {}) {
  if (l.should_log(lvl)) l.log(lvl, "{}", format_event(event, fields));
}

}  // namespace smimegw::obs
