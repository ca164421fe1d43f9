// app: message trace as JSON (trace_render.hpp).
#include "trace_render.hpp"

#include <boost/json.hpp>

#include "smimegw/core/time_format.hpp"

namespace smimegw::app {

boost::json::array trace_json(const std::vector<transport::TraceEvent>& events) {
  boost::json::array out;
  for (const auto& e : events) {
    boost::json::error_code ec;
    auto detail = boost::json::parse(e.detail_json, ec);
    out.push_back({{"at", core::iso8601_utc(e.at)},
                   {"stage", e.stage},
                   {"event", e.event},
                   {"recipient", e.recipient},
                   {"detail", ec ? boost::json::value(e.detail_json) : detail}});
  }
  return out;
}

}  // namespace smimegw::app
