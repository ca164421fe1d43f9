#include <catch2/catch.hpp>

#include "smimegw/obs/log.hpp"
#include "smimegw/obs/metrics.hpp"

using namespace smimegw::obs;

TEST_CASE("events are key=value lines with quoting and no raw newlines") {
  CHECK(format_event("db_connected", {{"pool", "4"}}) == "event=db_connected pool=4");
  CHECK(format_event("x", {{"msg", "a b"}, {"e", ""}}) == "event=x msg=\"a b\" e=\"\"");
  auto injected = format_event("x", {{"v", "line1\r\nevent=fake"}});
  CHECK(injected.find('\n') == std::string::npos);
  CHECK(injected == "event=x v=\"line1\\r\\nevent=fake\"");
}

TEST_CASE("metrics render as Prometheus text") {
  Metrics m;
  m.counter("smimegw_http_requests_total", "HTTP requests.", "listener=\"admin\"").inc(3);
  m.gauge("smimegw_up", "1 while serving.").set(1);
  auto text = m.render();
  CHECK(text.find("# TYPE smimegw_http_requests_total counter\n") != std::string::npos);
  CHECK(text.find("smimegw_http_requests_total{listener=\"admin\"} 3\n") != std::string::npos);
  CHECK(text.find("# TYPE smimegw_up gauge\nsmimegw_up 1\n") != std::string::npos);
  // the same series is one object
  m.counter("smimegw_http_requests_total", "HTTP requests.", "listener=\"admin\"").inc();
  CHECK(m.render().find("smimegw_http_requests_total{listener=\"admin\"} 4\n") !=
        std::string::npos);
}
