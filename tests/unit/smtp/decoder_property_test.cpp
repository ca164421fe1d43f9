// Property tests (deterministic pseudo-random): DATA decoding does not depend on how the bytes are
// split into reads, and the parsers survive arbitrary input (run under ASan/UBSan).
#include <catch2/catch.hpp>
#include <random>

#include "smimegw/smtp/command.hpp"
#include "smimegw/smtp/data_decoder.hpp"

using namespace smimegw::smtp;

TEST_CASE("DATA decoding gives the same result for any split of the input") {
  std::mt19937 rng(12345);
  const std::vector<std::string> tokens{"a",  "bc",   ".",     "..",   "\r",
                                        "\n", "\r\n", "\r\n.", "\xff", std::string(300, 'x')};
  for (int round = 0; round < 500; ++round) {
    std::string wire;
    int n = static_cast<int>(rng() % 40);
    for (int i = 0; i < n; ++i) wire += tokens[rng() % tokens.size()];
    wire += "\r\n.\r\nNEXT";
    DataDecoder whole(5000, 1000);
    auto used_whole = whole.feed(wire);
    REQUIRE(whole.done());
    DataDecoder pieces(5000, 1000);
    std::size_t pos = 0;
    while (pos < wire.size() && !pieces.done()) {
      std::size_t len = 1 + rng() % 7;
      pos += pieces.feed(std::string_view(wire).substr(pos, len));
    }
    INFO("round " << round);
    REQUIRE(pieces.done());
    CHECK(pos == used_whole);
    CHECK(pieces.message() == whole.message());
    CHECK(pieces.too_big() == whole.too_big());
    CHECK(pieces.line_too_long() == whole.line_too_long());
    // The stored message never contains a bare CR or LF.
    const std::string& m = whole.message();
    for (std::size_t i = 0; i < m.size(); ++i) {
      if (m[i] == '\r') REQUIRE((i + 1 < m.size() && m[i + 1] == '\n'));
      if (m[i] == '\n') REQUIRE((i > 0 && m[i - 1] == '\r'));
    }
  }
}

TEST_CASE("command and parameter parsers survive arbitrary bytes") {
  std::mt19937 rng(777);
  const std::string alphabet = std::string("<>@:=;+, .\"\\\r\n\x00\xc3\xa4", 18) + "FROMTOSIZEaz09";
  for (int round = 0; round < 3000; ++round) {
    std::string s;
    int n = static_cast<int>(rng() % 80);
    for (int i = 0; i < n; ++i) s += alphabet[rng() % alphabet.size()];
    (void)parse_command(s);
    (void)parse_mail_from("FROM:" + s);
    (void)parse_rcpt_to("TO:" + s, round % 2 == 0);
    (void)xtext_decode(s);
    auto m = parse_mail_from("FROM:<" + s + "@x.example>");
    if (m.ok()) CHECK(m->address.find('\r') == std::string::npos);
  }
}
