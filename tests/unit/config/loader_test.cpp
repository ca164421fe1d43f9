#include "smimegw/config/loader.hpp"

#include <catch2/catch.hpp>

#include "smimegw/config/settings.hpp"
#include "test_env.hpp"

using namespace smimegw::config;

namespace {
LoadOutcome load(const std::string& yaml, const Environment& env = {}) {
  return load_config_text(yaml, "test.yaml", env);
}
bool has_error(const LoadOutcome& o, const std::string& needle) {
  for (const auto& e : o.errors)
    if (e.find(needle) != std::string::npos) return true;
  return false;
}
}  // namespace

TEST_CASE("an empty file yields every default") {
  auto o = load("");
  REQUIRE(o.errors.empty());
  REQUIRE(o.config);
  CHECK(o.config->smtp.inbound.listen == Endpoint{"0.0.0.0", 2525});
  CHECK(o.config->admin.listen == Endpoint{"127.0.0.1", 8443});
  CHECK(o.config->trust.revocation == "require");
  CHECK(o.config->trust.crl_connect_timeout_ms == 60000);
  CHECK(o.config->organization.accepted_domains == std::vector<std::string>{"contoso.test"});
  CHECK(o.effective.size() == settings().size());
}

TEST_CASE("the shipped config/smimegw.yaml loads without errors") {
  auto o = load_config(smimegw::test::source_dir() / "config/smimegw.yaml", {});
  INFO((o.errors.empty() ? "" : o.errors.front()));
  REQUIRE(o.config);
}

TEST_CASE("unknown keys are reported with file, line and column") {
  auto o = load("smtp:\n  inbound:\n    listen: \"127.0.0.1:2525\"\n    lisen: x\n");
  REQUIRE_FALSE(o.config);
  REQUIRE(o.errors.size() == 1);
  CHECK(o.errors[0] == "test.yaml:4:5: smtp.inbound.lisen: unknown key");
}

TEST_CASE("all errors are reported at once") {
  auto o = load(
      "admin:\n  listen: \"127.0.0.1:70000\"\nlog:\n  level: loud\nbogus: 1\n"
      "database:\n  pool_size: abc\n");
  REQUIRE_FALSE(o.config);
  CHECK(o.errors.size() == 4);
  CHECK(has_error(o, "test.yaml:2:11: admin.listen: port 70000 out of range 1..65535"));
  CHECK(has_error(o,
                  "test.yaml:4:10: log.level: \"loud\" is not one of trace debug info warn error"));
  CHECK(has_error(o, "test.yaml:5:1: bogus: unknown key"));
  CHECK(has_error(o, "database.pool_size: expected an integer, got \"abc\""));
}

TEST_CASE("YAML syntax errors name the line") {
  auto o = load("smtp:\n  inbound: [unclosed\n");
  REQUIRE_FALSE(o.config);
  REQUIRE(o.errors.size() == 1);
  CHECK(o.errors[0].rfind("test.yaml:", 0) == 0);
  CHECK(o.errors[0].find("YAML syntax error") != std::string::npos);
}

TEST_CASE("integers outside their bounds are refused") {
  auto o = load("database:\n  pool_size: 0\n");
  CHECK(has_error(o, "database.pool_size: 0 out of range 1..64"));
}

TEST_CASE("two listeners on one port are refused") {
  auto o = load("admin:\n  listen: \"0.0.0.0:2525\"\n");
  REQUIRE_FALSE(o.config);
  CHECK(has_error(o, "admin.listen: port 2525 is already used by smtp.inbound.listen"));
  auto ok = load("admin:\n  listen: \"127.0.0.1:9000\"\nsync:\n  listen: \"127.0.0.2:9001\"\n");
  CHECK(ok.config);
}

TEST_CASE("wrong types are refused") {
  auto o = load("organization:\n  accepted_domains: contoso.test\nsmtp:\n  inbound: 5\n");
  CHECK(has_error(o, "organization.accepted_domains: expected a list"));
  CHECK(has_error(o, "smtp.inbound: expected a map of settings"));
}

TEST_CASE("environment variables override the file and secrets are redacted") {
  auto o =
      load("database:\n  url: \"postgresql://u:hunter2@db/x\"\n", {{"SMIMEGW_LOG_LEVEL", "debug"}});
  REQUIRE(o.config);
  CHECK(o.config->log.level == "debug");
  CHECK(o.config->database.url == "postgresql://u:hunter2@db/x");
  auto dump = render_effective(o);
  CHECK(dump.find("hunter2") == std::string::npos);
  CHECK(dump.find("database.url: <redacted>  # file") != std::string::npos);
  CHECK(dump.find("log.level: debug  # env SMIMEGW_LOG_LEVEL") != std::string::npos);
}

TEST_CASE("bad environment values are reported with the variable name") {
  auto o = load("", {{"SMIMEGW_ADMIN_LISTEN", "nonsense"}});
  REQUIRE_FALSE(o.config);
  CHECK(has_error(o, "environment SMIMEGW_ADMIN_LISTEN: admin.listen: expected \"host:port\""));
}

TEST_CASE("routes are parsed and validated") {
  auto o = load(
      "relay:\n  routes:\n    - {domain: Fabrikam.test, host: \"10.0.0.1:25\", tls: required}\n");
  REQUIRE(o.config);
  REQUIRE(o.config->relay.routes.size() == 1);
  CHECK(o.config->relay.routes[0].domain == "fabrikam.test");
  CHECK(o.config->relay.routes[0].host == Endpoint{"10.0.0.1", 25});
  auto bad = load("relay:\n  routes:\n    - {domain: x.test, host: \"h:25\", color: red}\n");
  CHECK(has_error(bad, "unknown route key \"color\""));
}

TEST_CASE("TLS certificate and key must be given together and exist") {
  auto o = load("smtp:\n  tls:\n    certificate_file: /nonexistent/cert.pem\n");
  CHECK(has_error(o, "certificate_file and key_file must be given together"));
  auto o2 = load(
      "smtp:\n  tls:\n    certificate_file: /nonexistent/c.pem\n    key_file: "
      "/nonexistent/k.pem\n");
  CHECK(has_error(o2, "smtp.tls.certificate_file: cannot read \"/nonexistent/c.pem\""));
}

TEST_CASE("IPv6 endpoints need brackets") {
  std::string why;
  auto ep = parse_endpoint("[::1]:8443", &why);
  REQUIRE(ep);
  CHECK(ep->host == "::1");
  CHECK(ep->str() == "[::1]:8443");
  CHECK_FALSE(parse_endpoint("::1:8443", &why));
  CHECK_FALSE(parse_endpoint("host:", &why));
}

TEST_CASE("docs/configuration.md is generated from the settings table and up to date") {
  auto on_disk = smimegw::test::read_file(smimegw::test::source_dir() / "docs/configuration.md");
  INFO("regenerate with: smimegw config-doc > docs/configuration.md");
  CHECK(on_disk == settings_markdown());
  for (const auto& s : settings())
    CHECK(on_disk.find("`" + std::string(s.key) + "`") != std::string::npos);
}

TEST_CASE("control characters in a value are refused, whatever the setting") {
  // CR/LF in the host name would be header injection in every greeting and Received field
  auto o = load("organization:\n  hostname: \"mx.contoso.test\\r\\nX-Injected: 1\"\n");
  REQUIRE_FALSE(o.config);
  CHECK(has_error(o, "organization.hostname: contains a control character (code 13)"));
  // a raw NUL (the config_yaml fuzzer's finding: it loaded, and did not load back the same)
  const std::string nul("organization:\n  hostname: mx.contoso.t\0t\n", 41);
  o = load(nul);
  REQUIRE_FALSE(o.config);
  INFO((o.errors.empty() ? "" : o.errors.front()));
  CHECK(has_error(o, "organization.hostname: contains a control character"));  // yaml-cpp's view
                                                                               // of the byte
  // list items and other string settings alike; a tab is a control character too
  o = load("relay:\n  auth_user: \"relay\\tuser\"\n  auth_password_file: /x\n");
  REQUIRE_FALSE(o.config);
  CHECK(has_error(o, "relay.auth_user: contains a control character (code 9)"));
  o = load("smtp:\n  inbound:\n    relay_networks: [\"127.0.0.0/8\\u007f\"]\n");
  REQUIRE_FALSE(o.config);
  CHECK(has_error(o, "contains a control character (code 127)"));
}
