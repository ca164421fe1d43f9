// http::Router: the route table's matching, 404/405, and the auth + rate-limit gate.
#include "smimegw/http/router.hpp"

#include <catch2/catch.hpp>

#include "http_test_support.hpp"

using namespace smimegw;
using namespace smimegw::http;
using smimegw::test::run;

namespace {

Handler echo(std::string tag) {
  return [tag](Request& req) -> boost::asio::awaitable<Response> {
    std::string params;
    for (const auto& [k, v] : req.params) params += k + "=" + v + ";";
    co_return json_response(200, tag + "|" + params + "|" + req.principal);
  };
}

class FakeAuth final : public Authenticator {
 public:
  int calls = 0;
  boost::asio::awaitable<core::Result<Principal>> authenticate(AuthKind kind,
                                                               std::string token) override {
    ++calls;
    if (kind == AuthKind::Admin && token == "good-token")
      co_return Principal{"ops", 1, std::nullopt};
    co_return core::Error::make("unauthorized", "missing or invalid bearer token");
  }
};

Request make(std::string method, std::string path, std::string token = "") {
  Request r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.remote = "127.0.0.1";
  if (!token.empty()) r.headers["authorization"] = "Bearer " + token;
  return r;
}

std::string header(const Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return "";
}

}  // namespace

TEST_CASE("router matches literal segments and fills {params}") {
  Router r;
  r.add("GET", "/admin/v1/users", echo("list"));
  r.add("GET", "/admin/v1/users/{id}", echo("one"));
  r.add("POST", "/admin/v1/queue/{id}/retry", echo("retry"));
  auto req = make("GET", "/admin/v1/users/42");
  CHECK(run(r.dispatch(req)).body == "one|id=42;|");
  req = make("GET", "/admin/v1/users");
  CHECK(run(r.dispatch(req)).body == "list||");
  req = make("GET", "/admin/v1/users/a%2Fb%40c");  // an encoded '/' stays in its segment
  CHECK(run(r.dispatch(req)).body == "one|id=a/b@c;|");
  req = make("POST", "/admin/v1/queue/Q1.a/retry");
  CHECK(run(r.dispatch(req)).body == "retry|id=Q1.a;|");
  std::map<std::string, std::string> p;
  CHECK_FALSE(Router::match("/a/{id}", "/a/", p));       // a parameter is never empty
  CHECK_FALSE(Router::match("/a/{id}", "/a/1/2", p));    // nor spans segments
  CHECK_FALSE(Router::match("/a/{id}/x", "/a/1/y", p));  // literal tail must match
}

TEST_CASE("router answers 404 for an unknown path and 405 with Allow for a wrong method") {
  Router r;
  r.add("GET", "/admin/v1/queue/{id}", echo("get"));
  r.add("DELETE", "/admin/v1/queue/{id}", echo("del"));
  auto req = make("GET", "/nope");
  auto resp = run(r.dispatch(req));
  CHECK(resp.status == 404);
  CHECK(resp.body.find("\"code\":\"not_found\"") != std::string::npos);
  req = make("PUT", "/admin/v1/queue/Q1");
  resp = run(r.dispatch(req));
  CHECK(resp.status == 405);
  CHECK(resp.body.find("\"code\":\"method_not_allowed\"") != std::string::npos);
  CHECK(header(resp, "Allow") == "GET, DELETE");
  req = make("HEAD", "/admin/v1/queue/Q1");  // HEAD is served by GET
  CHECK(run(r.dispatch(req)).status == 200);
}

TEST_CASE("router refuses duplicate routes and patterns without a leading slash") {
  Router r;
  r.add("GET", "/x", echo("x"));
  CHECK_THROWS(r.add("GET", "/x", echo("y")));
  CHECK_NOTHROW(r.add("POST", "/x", echo("y")));
  CHECK_THROWS(r.add("GET", "x", echo("z")));
}

TEST_CASE("authenticated routes answer 401 without, and run with, a valid bearer token") {
  Router r;
  FakeAuth auth;
  r.add(Route{"GET", "/admin/v1/x", AuthKind::Admin, echo("x")});
  r.add("GET", "/healthz", echo("h"));
  SECTION("no authenticator configured: refused") {
    auto req = make("GET", "/admin/v1/x", "good-token");
    CHECK(run(r.dispatch(req)).status == 401);
  }
  SECTION("with an authenticator") {
    r.set_security(&auth, nullptr);
    auto req = make("GET", "/admin/v1/x");
    auto resp = run(r.dispatch(req));
    CHECK(resp.status == 401);
    CHECK(header(resp, "WWW-Authenticate") == "Bearer realm=\"smimegw\"");
    CHECK(resp.body ==
          "{\"error\":{\"code\":\"unauthorized\",\"message\":\"missing or invalid "
          "bearer token\"}}");
    req = make("GET", "/admin/v1/x", "bad-token");
    CHECK(run(r.dispatch(req)).status == 401);
    req = make("GET", "/admin/v1/x", "good-token");
    resp = run(r.dispatch(req));
    CHECK(resp.status == 200);
    CHECK(resp.body == "x||ops");
    req = make("GET", "/healthz");  // AuthKind::None never asks
    int before = auth.calls;
    CHECK(run(r.dispatch(req)).status == 200);
    CHECK(auth.calls == before);
  }
  SECTION("a 404 or 405 never reaches the authenticator") {
    r.set_security(&auth, nullptr);
    auto req = make("POST", "/admin/v1/x");
    CHECK(run(r.dispatch(req)).status == 405);
    CHECK(auth.calls == 0);
  }
}

TEST_CASE("authenticated routes are rate limited per token with 429 and Retry-After") {
  Router r;
  FakeAuth auth;
  RateLimiter limiter(1.0, 2.0);
  r.set_security(&auth, &limiter);
  r.add(Route{"GET", "/admin/v1/x", AuthKind::Admin, echo("x")});
  auto req = make("GET", "/admin/v1/x", "good-token");
  CHECK(run(r.dispatch(req)).status == 200);
  CHECK(run(r.dispatch(req)).status == 200);
  auto resp = run(r.dispatch(req));
  CHECK(resp.status == 429);
  CHECK(header(resp, "Retry-After") == "1");
  CHECK(resp.body.find("\"code\":\"rate_limited\"") != std::string::npos);
  // another token has its own bucket
  auto other = make("GET", "/admin/v1/x", "bad-token");
  CHECK(run(r.dispatch(other)).status == 401);
}

TEST_CASE("wrong tokens are limited per client address, so guessing stops at the burst") {
  Router r;
  FakeAuth auth;
  RateLimiter limiter(0.5, 3.0);
  r.set_security(&auth, &limiter);
  r.add(Route{"GET", "/admin/v1/x", AuthKind::Admin, echo("x")});
  for (int i = 0; i < 3; ++i) {
    auto guess = make("GET", "/admin/v1/x", "guess-" + std::to_string(i));
    CHECK(run(r.dispatch(guess)).status == 401);
  }
  int calls = auth.calls;
  auto guess = make("GET", "/admin/v1/x", "guess-next");
  auto resp = run(r.dispatch(guess));
  CHECK(resp.status == 429);
  CHECK(header(resp, "Retry-After") == "2");
  CHECK(auth.calls == calls);  // refused before the token is looked up
  auto other = make("GET", "/admin/v1/x", "guess-0");
  other.remote = "192.0.2.7";  // another address is not affected
  CHECK(run(r.dispatch(other)).status == 401);
}
