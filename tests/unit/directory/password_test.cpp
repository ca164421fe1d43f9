#include "smimegw/directory/password.hpp"

#include <catch2/catch.hpp>

using namespace smimegw::directory;

TEST_CASE("argon2id hashes verify only the right password and are salted") {
  auto h = hash_password("correct horse");
  CHECK(h.rfind("$argon2id$", 0) == 0);
  CHECK(h.find("correct horse") == std::string::npos);
  CHECK(verify_password("correct horse", h));
  CHECK_FALSE(verify_password("correct horsf", h));
  CHECK_FALSE(verify_password("", h));
  CHECK(hash_password("correct horse") != h);
}

TEST_CASE("empty or malformed stored hashes never verify") {
  CHECK_FALSE(verify_password("x", ""));
  CHECK_FALSE(verify_password("x", "$argon2id$garbage"));
  CHECK_FALSE(verify_password("x", "plaintext-password"));
}
