// http::Server over loopback (plain HTTP): keep-alive, limits, timeouts, request ids.
#include <catch2/catch.hpp>

#include "http_test_support.hpp"
#include "smimegw/http/errors.hpp"

using namespace smimegw;
using namespace smimegw::http;
using namespace smimegw::test;

namespace {

Router test_router() {
  Router r;
  r.add("GET", "/hello", [](Request& req) -> boost::asio::awaitable<Response> {
    co_return json_response(200, "{\"path\":\"" + json_escape(req.path) + "\"}");
  });
  r.add("POST", "/echo", [](Request& req) -> boost::asio::awaitable<Response> {
    co_return json_response(200, std::to_string(req.body.size()));
  });
  r.add("GET", "/boom", [](Request&) -> boost::asio::awaitable<Response> {
    throw std::runtime_error("SELECT secret FROM keys");
    co_return json_response(200, "{}");
  });
  return r;
}

ServerOptions small_limits() {
  ServerOptions o;
  o.name = "test";
  o.max_body_bytes = 1024;
  o.max_header_bytes = 2048;
  o.header_timeout_ms = 400;
  o.request_timeout_ms = 1500;
  o.idle_timeout_ms = 3000;
  return o;
}

}  // namespace

TEST_CASE("keep-alive: two requests on one connection, then Connection: close ends it") {
  auto router = test_router();
  TestHttpServer s(router, small_limits());
  RawHttpClient c(s.port());
  c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  auto r1 = c.response();
  CHECK(status_line(r1) == "HTTP/1.1 200 OK");
  CHECK(header_value(r1, "Connection") == "keep-alive");
  CHECK(body_of(r1) == "{\"path\":\"/hello\"}");
  c.send("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  auto r2 = c.response();
  CHECK(status_line(r2) == "HTTP/1.1 200 OK");
  CHECK(header_value(r2, "Connection") == "close");
  CHECK(c.closed_within(2000));
}

TEST_CASE("pipelined requests in one packet are answered in order") {
  auto router = test_router();
  TestHttpServer s(router, small_limits());
  RawHttpClient c(s.port());
  c.send(
      "GET /hello HTTP/1.1\r\nHost: x\r\n\r\nPOST /echo HTTP/1.1\r\nHost: x\r\n"
      "Content-Length: 3\r\n\r\nabcGET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(status_line(c.response()) == "HTTP/1.1 200 OK");
  CHECK(body_of(c.response()) == "3");
  CHECK(status_line(c.response()) == "HTTP/1.1 404 Not Found");
}

TEST_CASE("request ids: a sane client id is echoed, anything else replaced") {
  auto router = test_router();
  TestHttpServer s(router, small_limits());
  RawHttpClient c(s.port());
  c.send("GET /hello HTTP/1.1\r\nHost: x\r\nX-Request-Id: abc-123.x\r\n\r\n");
  CHECK(header_value(c.response(), "X-Request-Id") == "abc-123.x");
  c.send("GET /hello HTTP/1.1\r\nHost: x\r\nX-Request-Id: bad id <script>\r\n\r\n");
  auto id = header_value(c.response(), "X-Request-Id");
  CHECK(id.find("bad") == std::string::npos);
  CHECK(id.size() > 8);
  c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(header_value(c.response(), "X-Request-Id") != id);
}

TEST_CASE("a body over the limit is answered 413 before it is read") {
  auto router = test_router();
  TestHttpServer s(router, small_limits());
  RawHttpClient c(s.port());
  c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n");
  auto r = c.response();
  CHECK(status_line(r) == "HTTP/1.1 413 Payload Too Large");
  CHECK(body_of(r).find("\"code\":\"payload_too_large\"") != std::string::npos);
  CHECK(c.closed_within(2000));
  RawHttpClient ok(s.port());
  ok.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1024\r\n\r\n" +
          std::string(1024, 'x'));
  CHECK(body_of(ok.response()) == "1024");
}

TEST_CASE("a chunked body over the limit is refused too") {
  auto router = test_router();
  TestHttpServer s(router, small_limits());
  RawHttpClient c(s.port());
  c.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n" +
         std::string(0x800, 'y') + "\r\n0\r\n\r\n");
  CHECK(status_line(c.response()) == "HTTP/1.1 413 Payload Too Large");
}

TEST_CASE("a header over the limit is answered 431") {
  auto router = test_router();
  TestHttpServer s(router, small_limits());
  RawHttpClient c(s.port());
  c.send("GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4000, 'a') + "\r\n\r\n");
  auto r = c.response();
  CHECK(status_line(r) == "HTTP/1.1 431 Request Header Fields Too Large");
  CHECK(body_of(r).find("\"code\":\"header_too_large\"") != std::string::npos);
}

TEST_CASE("slow-loris: a header not finished within the header timeout gets 408 and a close") {
  auto router = test_router();
  TestHttpServer s(router, small_limits());
  RawHttpClient c(s.port());
  auto start = std::chrono::steady_clock::now();
  c.send("GET /hello HTTP/1.1\r\nHost: x\r\n");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  c.send("X-A: 1\r\n");  // still trickling
  auto r = c.response(3000);
  auto took = std::chrono::steady_clock::now() - start;
  CHECK(status_line(r) == "HTTP/1.1 408 Request Timeout");
  CHECK(took < std::chrono::milliseconds(1400));
  CHECK(c.closed_within(2000));
}

TEST_CASE("malformed requests get 400 JSON, a handler exception 500 without its message") {
  auto router = test_router();
  TestHttpServer s(router, small_limits());
  RawHttpClient c(s.port());
  c.send("THIS IS NOT HTTP\r\n\r\n");
  auto r = c.response();
  CHECK(status_line(r) == "HTTP/1.1 400 Bad Request");
  CHECK(body_of(r).find("\"code\":\"bad_request\"") != std::string::npos);
  RawHttpClient d(s.port());
  d.send("GET /boom HTTP/1.1\r\nHost: x\r\n\r\n");
  auto b = d.response();
  CHECK(status_line(b) == "HTTP/1.1 500 Internal Server Error");
  CHECK(body_of(b) == "{\"error\":{\"code\":\"internal_error\",\"message\":\"internal error\"}}");
}

TEST_CASE("Expect: 100-continue gets an interim answer before the body is sent") {
  auto router = test_router();
  TestHttpServer s(router, small_limits());
  RawHttpClient c(s.port());
  c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
  CHECK(status_line(c.response()) == "HTTP/1.1 100 Continue");
  c.send("wxyz");
  CHECK(body_of(c.response()) == "4");
}

TEST_CASE("an idle keep-alive connection is closed after the idle timeout") {
  auto router = test_router();
  auto o = small_limits();
  o.idle_timeout_ms = 300;
  TestHttpServer s(router, o);
  RawHttpClient c(s.port());
  c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(status_line(c.response()) == "HTTP/1.1 200 OK");
  CHECK(c.closed_within(2000));
}

TEST_CASE(
    "connections over the per-address cap are answered 503 and closed; a freed slot is reused") {
  auto router = test_router();
  auto o = small_limits();
  o.max_connections_per_address = 2;
  TestHttpServer s(router, o);
  RawHttpClient a(s.port()), b(s.port());
  for (auto* c : {&a, &b}) {  // both admitted and served
    c->send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(status_line(c->response()) == "HTTP/1.1 200 OK");
  }
  RawHttpClient third(s.port());
  auto refused = third.response();
  CHECK(status_line(refused) == "HTTP/1.1 503 Service Unavailable");
  CHECK(body_of(refused).find("too_many_connections") != std::string::npos);
  CHECK(third.closed_within(2000));
  // a and b still work; when a leaves, its slot is free again
  b.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(status_line(b.response()) == "HTTP/1.1 200 OK");
  a.send("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  CHECK(status_line(a.response()) == "HTTP/1.1 200 OK");
  REQUIRE(a.closed_within(2000));
  bool served = false;
  for (int i = 0; i < 20 && !served; ++i) {  // the session's end is asynchronous
    RawHttpClient d(s.port());
    d.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
    served = status_line(d.response()) == "HTTP/1.1 200 OK";
    if (!served) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(served);
}

TEST_CASE("an absolute-form request target is served like its origin form (RFC 9112 §3.2.2)") {
  auto router = test_router();
  TestHttpServer s(router, small_limits());
  RawHttpClient c(s.port());
  c.send(
      "GET http://gateway.example:8080/hello?x=1 HTTP/1.1\r\nHost: gateway.example:8080\r\n\r\n");
  auto r = c.response();
  CHECK(status_line(r) == "HTTP/1.1 200 OK");
  CHECK(body_of(r) == "{\"path\":\"/hello\"}");
  c.send("GET HTTPS://gateway.example?y HTTP/1.1\r\nHost: gateway.example\r\n\r\n");
  CHECK(status_line(c.response()) == "HTTP/1.1 404 Not Found");  // "/" has no route here
}

TEST_CASE("Request::origin: scheme from the listener, host from Host, nothing odd") {
  Request r;
  CHECK(r.origin().empty());
  r.headers["host"] = "mail.contoso.test:8444";
  CHECK(r.origin() == "http://mail.contoso.test:8444");
  r.secure = true;
  CHECK(r.origin() == "https://mail.contoso.test:8444");
  r.headers["host"] = "[::1]:443";
  CHECK(r.origin() == "https://[::1]:443");
  for (const char* bad : {"evil.test/x", "a b", "x\"y", "host\r\nX: 1", "u@host"}) {
    r.headers["host"] = bad;
    CHECK(r.origin().empty());
  }
}
