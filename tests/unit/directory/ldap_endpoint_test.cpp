#include <catch2/catch.hpp>

#include "smimegw/directory/ldap.hpp"

using namespace smimegw::directory;

TEST_CASE("LDAP endpoints are read in the five configured forms with default ports") {
  struct Case {
    const char* text;
    bool tls;
    const char* host;
    int port;
  };
  for (auto c : {Case{"ldap://dir.example.com", false, "dir.example.com", 389},
                 Case{"ldap://dir.example.com:3890", false, "dir.example.com", 3890},
                 Case{"ldaps://dir.example.com:636", true, "dir.example.com", 636},
                 Case{"LDAPS://dir.example.com", true, "dir.example.com", 636},
                 Case{"dir.example.com", false, "dir.example.com", 389},
                 Case{"127.0.0.1:389", false, "127.0.0.1", 389},
                 Case{"ldap://[::1]:1389", false, "::1", 1389}}) {
    INFO(c.text);
    auto ep = parse_ldap_endpoint(c.text);
    REQUIRE(ep.ok());
    CHECK(ep->tls == c.tls);
    CHECK(ep->host == c.host);
    CHECK(ep->port == c.port);
    CHECK(ep->base_dn.empty());
    CHECK(ep->text == c.text);
  }
  CHECK(parse_ldap_endpoint("ldap://[::1]:1389")->uri() == "ldap://[::1]:1389");
  CHECK(parse_ldap_endpoint("ldaps://h")->uri() == "ldaps://h:636");
}

TEST_CASE("an LDAP URL may name the search base, %-escaped") {
  auto ep = parse_ldap_endpoint("ldap://h:389/ou=People,dc=example%2Cdc=com");
  REQUIRE(ep.ok());
  CHECK(ep->base_dn == "ou=People,dc=example,dc=com");
  CHECK(ep->uri() == "ldap://h:389");
}

TEST_CASE("bad LDAP endpoints are refused with the reason") {
  for (const char* bad :
       {"", "http://h", "ldap://", "ldap://h:", "ldap://h:0", "ldap://h:65536", "h:12x",
        "ldap://h/dc=x?mail", "h/dc=x", "ldap://[::1", "ldap://bad host", "ldap://h/%zz"}) {
    INFO(bad);
    auto ep = parse_ldap_endpoint(bad);
    REQUIRE_FALSE(ep.ok());
    CHECK(ep.error().code == "bad_ldap_endpoint");
    CHECK(ep.error().message.find(std::string("\"") + bad + "\"") == 0);
  }
  auto all = parse_ldap_endpoints({"ldap://ok", "ldap://bad:port"});
  REQUIRE_FALSE(all.ok());
  CHECK(all.error().message.rfind("ldap.endpoints[1]: ", 0) == 0);
}

TEST_CASE("filter values are escaped as RFC 4515 requires") {
  CHECK(ldap_filter_escape("alice@example.com") == "alice@example.com");
  CHECK(ldap_filter_escape("*)(uid=*") == "\\2a\\29\\28uid=\\2a");
  CHECK(ldap_filter_escape("a\\b") == "a\\5cb");
  CHECK(ldap_filter_escape(std::string("a\0b", 3)) == "a\\00b");
  CHECK(ldap_filter_escape("j\xc3\xbcrgen@x") == "j\\c3\\bcrgen@x");
}
