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

TEST_CASE("endpoint hosts are IP addresses or host names") {
  std::string why;
  for (const char* ok : {"0.0.0.0:25", "127.0.0.1:8443", "[::]:25", "[2001:db8::1]:587",
                         "mx.contoso.test:25", "localhost:2525", "relay_1.corp-net.test:25"}) {
    INFO(ok);
    CHECK(parse_endpoint(ok, &why));
  }
  struct Bad {
    const char* text;
    const char* why;
  };
  for (auto [text, expect] : {Bad{"[::base: &b {listen: \"0.0%%]:25", "is not an IPv6 address"},
                              Bad{"[mx.contoso.test]:25", "is not an IPv6 address"},
                              Bad{"[fe80::1%eth0]:25", "is not an IPv6 address"},
                              Bad{"999.1.1.1:25", "is not an IPv4 address or host name"},
                              Bad{"10.0.0:25", "is not an IPv4 address or host name"},
                              Bad{"mx..contoso.test:25", "is not an IPv4 address or host name"},
                              Bad{"mx contoso:25", "is not an IPv4 address or host name"},
                              Bad{"\"h\":25", "is not an IPv4 address or host name"},
                              Bad{"x.test.:25", "is not an IPv4 address or host name"}}) {
    INFO(text);
    why.clear();
    CHECK_FALSE(parse_endpoint(text, &why));
    CHECK(why.find(expect) != std::string::npos);
  }
  auto o = load("smtp:\n  inbound:\n    listen: \"[bogus]:25\"\n");
  CHECK(has_error(o, "smtp.inbound.listen: \"bogus\" is not an IPv6 address"));
}

TEST_CASE("text values must be UTF-8 without control characters, routes included") {
  auto latin1 = load("organization:\n  name: \"Soci\xe9t\xe9\"\n");
  CHECK(has_error(latin1, "organization.name: is not valid UTF-8"));
  auto utf8 = load("organization:\n  name: \"Soci\xc3\xa9t\xc3\xa9 G\xc3\xa9n\xc3\xa9rale\"\n");
  REQUIRE(utf8.config);
  CHECK(utf8.config->organization.name == "Soci\xc3\xa9t\xc3\xa9 G\xc3\xa9n\xc3\xa9rale");
  auto overlong = load("organization:\n  accepted_domains: [\"a\xc0\xaf.test\"]\n");
  CHECK_FALSE(overlong.config);
  auto crlf = load(
      "relay:\n  routes:\n    - {domain: x.test, host: \"h:25\", auth_user: \"u\\r\\nRSET\", "
      "auth_password_file: /p}\n");
  CHECK(has_error(crlf, "route.auth_user contains a control character (code 13)"));
  auto map_key = load("relay:\n  routes:\n    - {? {a: 1} : x}\n");
  CHECK(has_error(map_key, "route keys must be names"));
}

TEST_CASE("the effective configuration loads back to the same values") {
  // Values that mean something to YAML: a ": " or " #" inside a name, quotes, backslashes,
  // brackets, a leading '-', '@' or '*', the word null, UTF-8; the effective listing must quote
  // them so that `check-config` output is a configuration of its own.
  const std::vector<std::string> names = {"Contoso hostname: [x]",
                                          "a # not a comment",
                                          "say \"hi\"",
                                          "back\\slash",
                                          "[list]",
                                          "-dash",
                                          "@at",
                                          "*alias",
                                          "null",
                                          "~",
                                          "Caf\xc3\xa9 & Co",
                                          "plain name",
                                          "trailing:",
                                          "{map}",
                                          "'single'"};
  for (const auto& name : names) {
    INFO(name);
    std::string yaml = "organization:\n  name: \"";
    for (char c : name) {
      if (c == '"' || c == '\\') yaml += '\\';
      yaml += c;
    }
    yaml += "\"\nrelay:\n  routes:\n    - {domain: x.test, host: \"[::1]:25\", auth_user: \"";
    for (char c : name) {
      if (c == '"' || c == '\\') yaml += '\\';
      yaml += c;
    }
    yaml += "\", auth_password_file: \"/p w#d\"}\n";
    auto o = load(yaml);
    REQUIRE(o.config);
    CHECK(o.config->organization.name == name);
    auto again = load_config_text(render_effective(o), "effective.yaml", {});
    REQUIRE(again.config);
    CHECK(again.config->organization.name == name);
    REQUIRE(again.config->relay.routes.size() == 1);
    CHECK(again.config->relay.routes[0].auth_user == name);
    CHECK(again.config->relay.routes[0].auth_password_file == "/p w#d");
    REQUIRE(again.effective.size() == o.effective.size());
    for (std::size_t i = 0; i < o.effective.size(); ++i)
      CHECK(again.effective[i].value == o.effective[i].value);
  }
  auto plain = load("organization:\n  name: Contoso Ltd\n");
  CHECK(render_effective(plain).find("organization.name: Contoso Ltd  # file") !=
        std::string::npos);
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
