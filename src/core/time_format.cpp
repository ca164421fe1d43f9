#include "smimegw/core/time_format.hpp"

#include <ctime>

namespace smimegw::core {
namespace {
std::string format_utc(std::chrono::system_clock::time_point t, const char* fmt) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, fmt, &tm);
  return buf;
}
}  // namespace

std::string iso8601_utc(std::chrono::system_clock::time_point t) {
  return format_utc(t, "%Y-%m-%dT%H:%M:%SZ");
}

std::string rfc5322_date(std::chrono::system_clock::time_point t) {
  return format_utc(t, "%a, %d %b %Y %H:%M:%S +0000");
}

}  // namespace smimegw::core
