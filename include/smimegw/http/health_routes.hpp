// http: /healthz, /readyz and /metrics, served on the admin listener.
//   /healthz  200 {"status":"ok"} while the process serves requests (liveness)
//   /readyz   200 when every readiness check passes (database reachable, schema current), else 503
//             with the failing checks
//   /metrics  Prometheus text format 0.0.4
#pragma once

#include "smimegw/http/router.hpp"
#include "smimegw/obs/health.hpp"
#include "smimegw/obs/metrics.hpp"

namespace smimegw::http {

void add_health_routes(Router& router, const obs::Health& health, const obs::Metrics& metrics);

}  // namespace smimegw::http
