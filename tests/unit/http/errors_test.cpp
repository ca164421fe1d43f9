// http::error_from: the one error table.
#include "smimegw/http/errors.hpp"

#include <catch2/catch.hpp>
#include <set>

using namespace smimegw;
using namespace smimegw::http;

TEST_CASE("error table maps module codes to status and public code") {
  struct Case {
    const char* code;
    int status;
    const char* public_code;
  };
  for (auto c : {Case{"validation_failed", 400, "validation_failed"},
                 Case{"invalid_json", 400, "invalid_json"}, Case{"malformed", 400, "malformed"},
                 Case{"unauthorized", 401, "unauthorized"}, Case{"not_found", 404, "not_found"},
                 Case{"method_not_allowed", 405, "method_not_allowed"},
                 Case{"db_duplicate", 409, "conflict"}, Case{"too_large", 413, "payload_too_large"},
                 Case{"rate_limited", 429, "rate_limited"},
                 Case{"header_too_large", 431, "header_too_large"},
                 Case{"db_unavailable", 503, "service_unavailable"}}) {
    auto r = error_from(core::Error::make(c.code, "m"));
    INFO(c.code);
    CHECK(r.status == c.status);
    CHECK(r.body.find(std::string("\"code\":\"") + c.public_code + "\"") != std::string::npos);
    CHECK(r.content_type == "application/json");
  }
}

TEST_CASE("server-side errors never show their message, it goes to the log detail") {
  auto r = error_from(core::Error::make(
      "db_error", "ERROR: relation \"api_tokens\" ... SELECT hash FROM api_tokens"));
  CHECK(r.status == 500);
  CHECK(r.body == "{\"error\":{\"code\":\"internal_error\",\"message\":\"internal error\"}}");
  CHECK(r.log_detail.find("db_error") == 0);
  auto u = error_from(core::Error::make("some_new_code", "/var/lib/secret/key.pem unreadable"));
  CHECK(u.status == 500);
  CHECK(u.body.find("secret") == std::string::npos);
  CHECK(u.log_detail == "some_new_code: /var/lib/secret/key.pem unreadable");
  auto d = error_from(core::Error::transient("db_unavailable", "host=/tmp/pg user=x"));
  CHECK(d.status == 503);
  CHECK(d.body.find("host=") == std::string::npos);
}

TEST_CASE("client errors keep their message, JSON-escaped") {
  auto r = problem("validation_failed", "address: \"x\" has no @\n");
  CHECK(r.status == 400);
  CHECK(r.body ==
        "{\"error\":{\"code\":\"validation_failed\",\"message\":\"address: \\\"x\\\" has no "
        "@\\n\"}}");
  CHECK(r.log_detail.empty());
}

TEST_CASE("error table rows are unique and every status is an error status") {
  std::set<std::string_view> codes;
  for (const auto& row : error_table()) {
    CHECK(codes.insert(row.code).second);
    CHECK(row.status >= 400);
    CHECK(row.status <= 599);
  }
}
