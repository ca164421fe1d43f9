// libFuzzer target: http_json (scripts/fuzz.sh http_json SECONDS) — the API's JSON bodies and
// request validation, everything that runs before a service is called (no database). Input: one
// line, then the body.
//   line: a request target under /admin/v1/users (GET through the admin route table: path
//         parameters, ?top/skip pagination; routes of other services are left out) and
//         parse_query's input.
//   body: parse_json (serialised and parsed again it must give the same value), the field
//         accessors on every member, POST /admin/v1/users through the route table (the admin
//         user validator, then a fake Users service), and POST /me/sendMail's message composer
//         (sync::compose on body.message or the body): composed MIME has CRLF line endings only
//         and a header block of "Name: value" lines and folded continuations.
#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "compose.hpp"
#include "smimegw/http/admin/routes.hpp"
#include "smimegw/http/json.hpp"
#include "smimegw/http/router.hpp"
#include "smimegw/obs/log.hpp"

namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace smimegw;
using namespace smimegw::http;

void check(bool ok) {
  if (!ok) std::abort();
}

struct FakeUsers : admin::Users {
  admin::UserView view(std::string a) {
    admin::UserView v;
    v.id = 7;
    v.address = std::move(a);
    return v;
  }
  asio::awaitable<core::Result<admin::UserView>> create(admin::NewUser u) override {
    check(!u.address.empty() && u.address.size() <= 254);
    check(u.proxy_addresses.size() <= 100);
    auto v = view(u.address);
    v.display_name = u.display_name;
    v.proxy_addresses = u.proxy_addresses;
    co_return v;
  }
  asio::awaitable<core::Result<admin::UserView>> get(std::string id) override {
    if (id == "missing") co_return core::Error::make("not_found", "no such user");
    co_return view(id);
  }
  asio::awaitable<core::Result<std::vector<admin::UserView>>> list(Page page) override {
    check(page.top >= 1 && page.top <= kMaxTop && page.skip >= 0 && page.skip <= kMaxSkip);
    co_return std::vector<admin::UserView>{view("a@example.test"), view("b@example.test")};
  }
  asio::awaitable<core::Result<admin::UserView>> set_enabled(std::string id, bool on) override {
    auto v = view(id);
    v.enabled = on;
    co_return v;
  }
  asio::awaitable<core::Result<std::vector<admin::UserCertificateView>>> certificates(
      std::string) override {
    co_return std::vector<admin::UserCertificateView>{};
  }
};

struct AnyToken : Authenticator {
  asio::awaitable<core::Result<Principal>> authenticate(AuthKind, std::string) override {
    co_return Principal{"fuzz", 1, std::nullopt};
  }
};

struct World {
  asio::io_context io;
  FakeUsers users;
  AnyToken auth;
  admin::Services services;
  Router router;
  World() {
    obs::logger("http")->set_level(spdlog::level::off);
    services.users = &users;
    admin::add_routes(router, services);
    router.set_security(&auth, nullptr);
  }
};

World& world() {
  static World w;
  return w;
}

Response dispatch(std::string method, std::string target, std::string body) {
  auto& w = world();
  Request req;
  req.method = std::move(method);
  req.target = target;
  auto q = target.find('?');
  req.path = target.substr(0, q);
  if (q != std::string::npos) req.query = target.substr(q + 1);
  req.headers["authorization"] = "Bearer fuzz";
  req.headers["content-type"] = "application/json";
  req.body = std::move(body);
  req.remote = "127.0.0.1";
  req.request_id = "fz";
  Response out;
  asio::co_spawn(
      w.io, [&]() -> asio::awaitable<void> { out = co_await w.router.dispatch(req); },
      asio::detached);
  w.io.restart();
  w.io.run();
  check(out.status >= 200 && out.status < 600);
  if (out.status >= 500) std::abort();  // validation never ends in a server error here
  return out;
}

void check_mime(const std::string& m) {
  for (std::size_t i = 0; i < m.size(); ++i) {
    if (m[i] == '\n') check(i > 0 && m[i - 1] == '\r');
    if (m[i] == '\r') check(i + 1 < m.size() && m[i + 1] == '\n');
  }
  std::size_t pos = 0;
  for (;;) {
    auto eol = m.find("\r\n", pos);
    check(eol != std::string::npos);
    if (eol == pos) break;  // the blank line ending the header
    std::string_view line(m.data() + pos, eol - pos);
    if (line[0] != ' ' && line[0] != '\t') {
      auto colon = line.find(':');
      check(colon != std::string_view::npos && colon > 0);
      for (char c : line.substr(0, colon))
        check(static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7f);
    }
    pos = eol + 2;
  }
}

/// Equal, except that doubles may differ in their last bits: Boost.JSON 1.81 parses numbers with
/// more than 17 significant digits imprecisely, so a value serialised in its shortest form can
/// read back a few ulps away (the fuzzer found `[9888…889]`, 117 digits).
bool same(const json::value& a, const json::value& b) {
  if (a.is_double() && b.is_double()) {
    const double x = a.get_double(), y = b.get_double();
    return x == y || std::fabs(x - y) <= 1e-14 * std::max(std::fabs(x), std::fabs(y));
  }
  if (a.is_array() && b.is_array()) {
    const auto &p = a.get_array(), &q = b.get_array();
    if (p.size() != q.size()) return false;
    for (std::size_t i = 0; i < p.size(); ++i)
      if (!same(p[i], q[i])) return false;
    return true;
  }
  if (a.is_object() && b.is_object()) {
    const auto &p = a.get_object(), &q = b.get_object();
    if (p.size() != q.size()) return false;
    for (const auto& kv : p) {
      auto it = q.find(kv.key());
      if (it == q.end() || !same(kv.value(), it->value())) return false;
    }
    return true;
  }
  return a == b;
}

void body_checks(const std::string& body) {
  auto v = parse_json(body);
  if (v) {
    auto again = parse_json(json::serialize(*v));
    check(again.ok() && same(*again, *v));
  }
  auto o = parse_json_object(body);
  if (o) {
    for (const auto& kv : *o) {
      const std::string_view key(kv.key().data(), kv.key().size());
      (void)string_field(*o, key, false, 64);
      (void)bool_field(*o, key);
    }
    auto m = o->find("message");
    const json::object& msg = m != o->end() && m->value().is_object() ? m->value().as_object() : *o;
    auto c = sync::compose(msg, "sender@example.test", 1767225600, "fuzz");
    if (c) {
      check_mime(c->mime);
      check(c->rcpts.size() <= 500);
    }
  }
  auto r = dispatch("POST", "/admin/v1/users", body);
  check(r.status == 201 || r.status == 400 || r.status == 415 || r.status == 422);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 262144) return 0;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto lf = in.find('\n');
  std::string line(in.substr(0, lf == std::string_view::npos ? in.size() : lf));
  std::string body = lf == std::string_view::npos ? std::string() : std::string(in.substr(lf + 1));
  if (line.size() <= 4096) {
    (void)parse_query(line);
    (void)percent_decode(line, true);
    // Only routes served by the Users service (others would reach services left null here).
    const std::string target = "/admin/v1/users" + line;
    auto m = world().router.find("GET", target.substr(0, target.find('?')));
    if (!m.route || m.route->pattern == "/admin/v1/users" ||
        m.route->pattern == "/admin/v1/users/{id}")
      dispatch("GET", target, "");
  }
  body_checks(body);
  return 0;
}
