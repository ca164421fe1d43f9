// http auth: bearer parsing, token format and hashing, tokens files, the rate limiter.
#include "smimegw/http/auth.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>

#include "http_test_support.hpp"
#include "smimegw/http/rate_limiter.hpp"

using namespace smimegw;
using namespace smimegw::http;

TEST_CASE("bearer_token reads only the Bearer scheme") {
  Request r;
  CHECK(bearer_token(r).empty());
  r.headers["authorization"] = "Bearer abc";
  CHECK(bearer_token(r) == "abc");
  r.headers["authorization"] = "bearer   abc  ";
  CHECK(bearer_token(r) == "abc");
  r.headers["authorization"] = "Basic YTpi";
  CHECK(bearer_token(r).empty());
  r.headers["authorization"] = "Bearer ";
  CHECK(bearer_token(r).empty());
}

TEST_CASE("tokens are 32 random bytes in base64url with a prefix, the hash is hex SHA-256") {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    auto t = generate_token();
    CHECK(t.size() == 5 + 43);
    CHECK(t.rfind("smgw_", 0) == 0);
    CHECK(t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
                              5) == std::string::npos);
    CHECK(seen.insert(t).second);
  }
  CHECK(token_hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(constant_time_equal("abc", "abc"));
  CHECK_FALSE(constant_time_equal("abc", "abd"));
  CHECK_FALSE(constant_time_equal("abc", "abcd"));
}

TEST_CASE("tokens file: names, comments, and short tokens refused without echoing them") {
  auto path = std::filesystem::temp_directory_path() / "smimegw_tokens_test.txt";
  {
    std::ofstream f(path);
    f << "# admin tokens\n\nops   0123456789abcdefghijKLM\nabcdefghijklmnopqrstuvwxyz\n";
  }
  auto r = load_tokens_file(path.string());
  REQUIRE(r);
  REQUIRE(r->size() == 2);
  CHECK((*r)[0].first == "file:ops");
  CHECK((*r)[0].second == token_hash("0123456789abcdefghijKLM"));
  CHECK((*r)[1].first == "file:line4");
  {
    std::ofstream f(path);
    f << "short tooShortToken\n";
  }
  auto bad = load_tokens_file(path.string());
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message.find("line 1") != std::string::npos);
  CHECK(bad.error().message.find("tooShortToken") == std::string::npos);
  std::filesystem::remove(path);
  CHECK_FALSE(load_tokens_file(path.string()));
}

TEST_CASE("TokenAuthenticator accepts file tokens for admin routes only") {
  TokenAuthenticator auth(nullptr, {{"file:ops", token_hash("0123456789abcdefghijKLM")}});
  auto ok = test::run(auth.authenticate(AuthKind::Admin, "0123456789abcdefghijKLM"));
  REQUIRE(ok);
  CHECK(ok->name == "file:ops");
  CHECK_FALSE(test::run(auth.authenticate(AuthKind::Sync, "0123456789abcdefghijKLM")));
  auto bad = test::run(auth.authenticate(AuthKind::Admin, "0123456789abcdefghijKLN"));
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == "unauthorized");
  CHECK_FALSE(test::run(auth.authenticate(AuthKind::Admin, "")));
}

TEST_CASE("rate limiter: burst, refill and Retry-After") {
  using namespace std::chrono_literals;
  RateLimiter rl(2.0, 3.0);
  auto t0 = RateLimiter::Clock::now();
  CHECK_FALSE(rl.acquire("a", t0));
  CHECK_FALSE(rl.acquire("a", t0));
  CHECK_FALSE(rl.acquire("a", t0));
  auto wait = rl.acquire("a", t0);
  REQUIRE(wait);
  CHECK(*wait == 1);
  CHECK_FALSE(rl.acquire("b", t0));          // other keys are independent
  CHECK_FALSE(rl.acquire("a", t0 + 500ms));  // 2/s: one request back after 0.5 s
  CHECK(rl.acquire("a", t0 + 500ms));
  RateLimiter slow(0.1, 1.0);
  CHECK_FALSE(slow.acquire("k", t0));
  auto w = slow.acquire("k", t0);
  REQUIRE(w);
  CHECK(*w == 10);
  RateLimiter off(0, 1);
  for (int i = 0; i < 100; ++i) CHECK_FALSE(off.acquire("k", t0));
}
