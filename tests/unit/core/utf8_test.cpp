#include "smimegw/core/utf8.hpp"

#include <catch2/catch.hpp>
#include <string>

using smimegw::core::valid_utf8;

TEST_CASE("well-formed UTF-8 is accepted, from ASCII to the last code point") {
  CHECK(valid_utf8(""));
  CHECK(valid_utf8("plain ASCII\t~"));
  CHECK(valid_utf8("Soci\xc3\xa9t\xc3\xa9"));  // U+00E9
  CHECK(valid_utf8("\xe2\x82\xac 5"));         // U+20AC
  CHECK(valid_utf8("\xed\x9f\xbf"));           // U+D7FF, just below the surrogates
  CHECK(valid_utf8("\xee\x80\x80"));           // U+E000, just above them
  CHECK(valid_utf8("\xf0\x9f\x93\xa7"));       // U+1F4E7
  CHECK(valid_utf8("\xf4\x8f\xbf\xbf"));       // U+10FFFF
  CHECK(valid_utf8(std::string("a\0b", 3)));   // NUL is a character (callers refuse it)
}

TEST_CASE("ill-formed UTF-8 is refused (RFC 3629 section 4)") {
  CHECK_FALSE(valid_utf8("Soci\xe9t\xe9"));     // Latin-1
  CHECK_FALSE(valid_utf8("\x80"));              // lone continuation byte
  CHECK_FALSE(valid_utf8("\xc0\xaf"));          // overlong '/'
  CHECK_FALSE(valid_utf8("\xc1\xbf"));          // overlong
  CHECK_FALSE(valid_utf8("\xe0\x80\xaf"));      // overlong, three bytes
  CHECK_FALSE(valid_utf8("\xf0\x80\x80\xaf"));  // overlong, four bytes
  CHECK_FALSE(valid_utf8("\xed\xa0\x80"));      // U+D800, a surrogate
  CHECK_FALSE(valid_utf8("\xed\xbf\xbf"));      // U+DFFF
  CHECK_FALSE(valid_utf8("\xf4\x90\x80\x80"));  // U+110000
  CHECK_FALSE(valid_utf8("\xf5\x80\x80\x80"));  // lead byte beyond F4
  CHECK_FALSE(valid_utf8("\xff"));
  CHECK_FALSE(valid_utf8("ab\xc3"));  // cut off at the end
  CHECK_FALSE(valid_utf8("ab\xe2\x82"));
  CHECK_FALSE(valid_utf8("ab\xf0\x9f\x93"));
  CHECK_FALSE(valid_utf8("\xe2\x28\xa1"));      // second byte not a continuation
  CHECK_FALSE(valid_utf8("\xf0\x9f\x28\xa7"));  // third byte not a continuation
}
