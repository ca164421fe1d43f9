#include "smimegw/http/health_routes.hpp"

namespace smimegw::http {

void add_health_routes(Router& router, const obs::Health& health, const obs::Metrics& metrics) {
  router.add("GET", "/healthz", [](Request&) -> boost::asio::awaitable<Response> {
    co_return json_response(200, "{\"status\":\"ok\"}");
  });
  router.add("GET", "/readyz", [&health](Request&) -> boost::asio::awaitable<Response> {
    auto checks = co_await health.run();
    bool ready = true;
    std::string list;
    for (const auto& c : checks) {
      ready = ready && c.ok;
      list += (list.empty() ? "" : ",") + std::string("{\"name\":\"") + json_escape(c.name) +
              "\",\"ok\":" + (c.ok ? "true" : "false") + ",\"detail\":\"" + json_escape(c.detail) +
              "\"}";
    }
    co_return json_response(ready ? 200 : 503, std::string("{\"status\":\"") +
                                                   (ready ? "ready" : "not_ready") +
                                                   "\",\"checks\":[" + list + "]}");
  });
  router.add("GET", "/metrics", [&metrics](Request&) -> boost::asio::awaitable<Response> {
    Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = metrics.render();
    co_return r;
  });
}

}  // namespace smimegw::http
