// docs/openapi.yaml and the route tables must describe the same routes: this builds the admin
// listener's router exactly as `serve` does (health routes + admin routes) and compares its
// (method, pattern) pairs with the spec's paths. A tiny reader of the `paths:` section suffices
// (python3's stdlib has no YAML, and neither has ours): paths are the two-space-indented keys
// under `paths:`, operations the four-space-indented HTTP method keys under them.
#include <catch2/catch.hpp>
#include <set>
#include <sstream>

#include "smimegw/http/admin/routes.hpp"
#include "smimegw/http/health_routes.hpp"
#include "smimegw/http/sync/routes.hpp"
#include "test_env.hpp"

using namespace smimegw;

namespace {

std::set<std::string> spec_operations(const std::string& yaml) {
  static const std::set<std::string> methods = {"get",  "put",     "post", "delete",
                                                "head", "options", "patch"};
  std::set<std::string> ops;
  std::istringstream in(yaml);
  std::string line, path;
  bool in_paths = false;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line.find_first_not_of(' ') == std::string::npos) continue;
    auto indent = line.find_first_not_of(' ');
    if (line[indent] == '#') continue;
    if (indent == 0) {
      in_paths = line == "paths:";
      continue;
    }
    if (!in_paths) continue;
    auto key = line.substr(indent, line.find(':', indent) - indent);
    if (key.size() >= 2 && (key.front() == '"' || key.front() == '\''))
      key = key.substr(1, key.size() - 2);
    if (indent == 2) path = key;
    if (indent == 4 && methods.count(key)) {
      std::string m;
      for (char c : key) m += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      ops.insert(m + " " + path);
    }
  }
  return ops;
}

}  // namespace

namespace {
/// The sync service is never called here (only the table is read).
struct NoSync : http::sync::Service {
  template <class T>
  using A = boost::asio::awaitable<T>;
  A<core::Result<http::sync::TokenGrant>> grant(std::string, std::string) override { throw 0; }
  A<core::Status> revoke(std::string, std::string) override { throw 0; }
  A<core::Result<http::sync::DeltaResult>> delta(std::string, std::string,
                                                 std::optional<std::string>,
                                                 std::optional<int>) override {
    throw 0;
  }
  A<core::Result<boost::json::object>> message(std::string, std::string, bool, bool) override {
    throw 0;
  }
  A<core::Result<std::string>> mime(std::string, std::string) override { throw 0; }
  A<core::Result<boost::json::array>> attachments(std::string, std::string) override { throw 0; }
  A<core::Result<http::sync::AttachmentBytes>> attachment(std::string, std::string,
                                                          std::string) override {
    throw 0;
  }
  A<core::Result<boost::json::object>> settings(std::string) override { throw 0; }
  A<core::Result<boost::json::object>> patch_settings(std::string, boost::json::object) override {
    throw 0;
  }
  A<core::Status> send(std::string, http::sync::SendRequest) override { throw 0; }
  A<core::Result<boost::json::array>> certificates(std::string) override { throw 0; }
  A<core::Status> remove_certificate(std::string, std::string) override { throw 0; }
  A<core::Result<boost::json::array>> import_pkcs12(std::string, std::string,
                                                    std::string) override {
    throw 0;
  }
  A<core::Result<boost::json::array>> install_attachment(std::string, std::string, std::string,
                                                         std::string) override {
    throw 0;
  }
  A<core::Result<boost::json::object>> install_sender(std::string, std::string, bool) override {
    throw 0;
  }
  A<core::Result<http::sync::Original>> original(std::string, std::string,
                                                 http::sync::Answer) override {
    throw 0;
  }
  A<core::Result<boost::json::array>> resolve_recipients(std::string,
                                                         std::vector<std::string>) override {
    throw 0;
  }
  A<core::Result<boost::json::array>> devices(std::string) override { throw 0; }
  A<core::Result<boost::json::object>> enrol_device(std::string, std::string,
                                                    std::string) override {
    throw 0;
  }
  A<core::Result<http::sync::Pkcs12Delivery>> deliver(std::string, std::string,
                                                      std::string) override {
    throw 0;
  }
  A<core::Status> remove_device(std::string, std::string) override { throw 0; }
};
}  // namespace

TEST_CASE("docs/openapi.yaml lists exactly the routes of the admin and sync listeners") {
  http::Router router;
  obs::Health health;
  obs::Metrics metrics;
  http::admin::Services services;  // handlers are not called
  http::add_health_routes(router, health, metrics);
  http::admin::add_routes(router, services);
  NoSync sync;
  http::Router sync_router;
  http::sync::add_routes(sync_router, sync);
  std::set<std::string> table;
  for (const auto& r : router.routes()) table.insert(r.method + " " + r.pattern);
  for (const auto& r : sync_router.routes()) table.insert(r.method + " " + r.pattern);
  REQUIRE(table.size() == router.routes().size() + sync_router.routes().size());

  auto spec = spec_operations(test::read_file(test::source_dir() / "docs/openapi.yaml"));
  REQUIRE_FALSE(spec.empty());
  for (const auto& op : table) {
    INFO("route in the table but not in docs/openapi.yaml: " << op);
    CHECK(spec.count(op) == 1);
  }
  for (const auto& op : spec) {
    INFO("route in docs/openapi.yaml but not in the table: " << op);
    CHECK(table.count(op) == 1);
  }
}

TEST_CASE("every /admin/v1 route requires an admin token, health routes none") {
  http::Router router;
  obs::Health health;
  obs::Metrics metrics;
  http::admin::Services services;
  http::add_health_routes(router, health, metrics);
  http::admin::add_routes(router, services);
  for (const auto& r : router.routes()) {
    INFO(r.method << " " << r.pattern);
    if (r.pattern.rfind("/admin/v1/", 0) == 0)
      CHECK(r.auth == http::AuthKind::Admin);
    else
      CHECK(r.auth == http::AuthKind::None);
  }
}

TEST_CASE("every /v1.0 route but the token grant requires a sync token") {
  NoSync sync;
  http::Router router;
  http::sync::add_routes(router, sync);
  REQUIRE(router.routes().size() >= 10);
  for (const auto& r : router.routes()) {
    INFO(r.method << " " << r.pattern);
    CHECK(r.pattern.rfind("/v1.0/", 0) == 0);
    if (r.method == "POST" && r.pattern == "/v1.0/oauth2/token")
      CHECK(r.auth == http::AuthKind::None);
    else
      CHECK(r.auth == http::AuthKind::Sync);
  }
}

TEST_CASE("the spec reader sees paths, methods and nothing outside paths:") {
  auto ops = spec_operations(
      "openapi: 3.0.3\ninfo:\n  title: x\n  get: no\npaths:\n  /a/{id}:\n    parameters: []\n"
      "    get:\n      summary: s\n    delete:\n      x: y\n  \"/b\":\n    post: {}\n"
      "components:\n  /c:\n    get: {}\n");
  CHECK(ops == std::set<std::string>{"GET /a/{id}", "DELETE /a/{id}", "POST /b"});
}
