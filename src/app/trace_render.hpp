// app: the JSON shape of a message trace, shared by `smimegw trace ID --json` and the admin API's
// GET /admin/v1/messages/{id}/trace: [{"at", "stage", "event", "recipient", "detail": {...}}].
#pragma once

#include <boost/json/array.hpp>
#include <vector>

#include "smimegw/transport/trace_store.hpp"

namespace smimegw::app {

boost::json::array trace_json(const std::vector<transport::TraceEvent>& events);

}  // namespace smimegw::app
