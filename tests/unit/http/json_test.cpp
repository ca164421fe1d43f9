// http JSON helpers: parse errors with positions, limits, pagination and field validation.
#include "smimegw/http/json.hpp"

#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

using namespace smimegw;
using namespace smimegw::http;

TEST_CASE("malformed JSON names line, column and byte offset") {
  auto r = parse_json("{\n  \"a\": 1,\n  \"b\": tru\n}");
  REQUIRE_FALSE(r);
  CHECK(r.error().code == "invalid_json");
  CHECK(r.error().message.find("line 3 column") != std::string::npos);
  auto e = parse_json("");
  REQUIRE_FALSE(e);
  CHECK(e.error().message == "malformed JSON: empty body");
  auto trailing = parse_json("{} x");
  REQUIRE_FALSE(trailing);
  CHECK(trailing.error().message.find("line 1 column") != std::string::npos);
}

TEST_CASE("JSON nesting is limited to 32 levels") {
  std::string deep(40, '[');
  deep += std::string(40, ']');
  auto r = parse_json(deep);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == "invalid_json");
  std::string ok(30, '[');
  ok += std::string(30, ']');
  CHECK(parse_json(ok).ok());
}

TEST_CASE("a body that is not an object is a validation error naming 'body'") {
  auto r = parse_json_object("[1,2]");
  REQUIRE_FALSE(r);
  CHECK(r.error().code == "validation_failed");
  CHECK(r.error().message == "body: must be a JSON object");
}

TEST_CASE("pagination: defaults, bounds, and errors naming the parameter") {
  Request req;
  auto p = parse_page(req);
  REQUIRE(p);
  CHECK(p->top == 100);
  CHECK(p->skip == 0);
  req.query = "top=5&skip=10";
  p = parse_page(req);
  REQUIRE(p);
  CHECK(p->top == 5);
  CHECK(p->skip == 10);
  for (auto q : {"top=0", "top=501", "top=abc", "top=", "top=5x"}) {
    req.query = q;
    auto bad = parse_page(req);
    INFO(q);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.rfind("top: ", 0) == 0);
  }
  req.query = "skip=-1";
  auto bad = parse_page(req);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message.rfind("skip: ", 0) == 0);
}

TEST_CASE("page_response drops the look-ahead item and links the next page with the filters") {
  Request req;
  req.path = "/admin/v1/queue";
  req.query = "state=pending&top=2";
  boost::json::array items{1, 2, 3};
  auto r = page_response(items, Page{2, 0}, req);
  CHECK(r.body == "{\"value\":[1,2],\"nextLink\":\"/admin/v1/queue?state=pending&top=2&skip=2\"}");
  boost::json::array last{1, 2};
  CHECK(page_response(last, Page{2, 2}, req).body == "{\"value\":[1,2]}");
}

TEST_CASE("query strings are percent-decoded") {
  auto q = parse_query("from=a%40b.example&x=1+2&flag");
  CHECK(q["from"] == "a@b.example");
  CHECK(q["x"] == "1 2");
  CHECK(q.count("flag") == 1);
}

TEST_CASE("field accessors name the field in every error") {
  auto o = parse_json_object("{\"a\": 1, \"s\": \"xyz\", \"b\": \"yes\"}");
  REQUIRE(o);
  auto a = string_field(*o, "a", true);
  REQUIRE_FALSE(a);
  CHECK(a.error().message == "a: must be a string");
  auto missing = string_field(*o, "nope", true);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message == "nope: required");
  auto optional = string_field(*o, "nope", false);
  REQUIRE(optional);
  CHECK_FALSE(optional->has_value());
  auto longer = string_field(*o, "s", true, 2);
  REQUIRE_FALSE(longer);
  CHECK(longer.error().message == "s: longer than 2 characters");
  auto b = bool_field(*o, "b");
  REQUIRE_FALSE(b);
  CHECK(b.error().message == "b: must be true or false");
  Request req;
  req.params["id"] = "12x";
  CHECK_FALSE(id_param(req, "id"));
  req.params["id"] = "12";
  CHECK(*id_param(req, "id") == 12);
}

TEST_CASE("numeric_id tells an id from an address") {
  CHECK(numeric_id("42") == 42);
  CHECK(numeric_id("007") == 7);
  CHECK(numeric_id("999999999999999999") == 999999999999999999);
  CHECK_FALSE(numeric_id(""));
  CHECK_FALSE(numeric_id("1234567890123456789"));  // 19 digits: an address local part, not an id
  CHECK_FALSE(numeric_id("12@contoso.test"));
  CHECK_FALSE(numeric_id("-1"));
  CHECK_FALSE(numeric_id("1 "));
}
