// Limits and garbage: each limit has its own error code; random and mutated input never crashes.
#include <catch2/catch.hpp>
#include <random>

#include "mime_test_util.hpp"
#include "smimegw/mime/canonical.hpp"
#include "smimegw/mime/error_codes.hpp"
#include "smimegw/mime/marking.hpp"
#include "smimegw/mime/parser.hpp"
#include "smimegw/mime/transfer_encoding.hpp"
#include "test_env.hpp"

using namespace smimegw::mime;

namespace {

std::string nested(int depth) {
  std::string head, tail;
  for (int i = 0; i < depth; ++i) {
    std::string b = "b" + std::to_string(i);
    head += "Content-Type: multipart/mixed; boundary=" + b + "\r\n\r\n--" + b + "\r\n";
    tail = "\r\n--" + b + "--\r\n" + tail;
  }
  return head + "Content-Type: text/plain\r\n\r\nleaf" + tail;
}

std::string many_parts(int n) {
  std::string s = "Content-Type: multipart/mixed; boundary=z\r\n\r\n";
  for (int i = 0; i < n; ++i)
    s += "--z\r\nContent-Type: text/plain\r\n\r\npart " + std::to_string(i) + "\r\n";
  return s + "--z--\r\n";
}

void exercise(const std::string& raw) {  // everything a caller may do with a parse result
  auto r = parse(raw);
  if (!r) {
    CHECK_FALSE(r.error().code.empty());
    return;
  }
  CHECK(r->root.entity.slice(raw) == raw);
  std::vector<const Part*> parts;
  smimegw::mime::test::all_parts(r->root, parts);
  for (const Part* p : parts) {
    CHECK(p->entity.begin <= p->body.begin);
    CHECK(p->body.end <= raw.size());
    (void)decode_transfer(r->bytes(p->body), p->transfer_encoding, true);
    (void)decode_transfer(r->bytes(p->body), p->transfer_encoding, false);
  }
  (void)mark(*r, Marking{"h", "f"});
}

}  // namespace

TEST_CASE("limit_nesting_depth_is_mime_too_deep", "[mime][limits]") {
  std::string ok = nested(30);
  CHECK(parse(ok).ok());
  std::string deep = nested(100);
  auto r = parse(deep);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == errc::kMimeTooDeep);
  Limits l;
  l.max_depth = 5;
  std::string six = nested(6), five = nested(5);
  CHECK(parse(six, l).error().code == errc::kMimeTooDeep);
  CHECK(parse(five, l).ok());
}

TEST_CASE("limit_ten_thousand_parts_is_too_many_parts", "[mime][limits]") {
  std::string raw = many_parts(10000);
  auto r = parse(raw);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == errc::kTooManyParts);
  Limits l;
  l.max_parts = 20000;
  auto big = parse(raw, l);
  REQUIRE(big.ok());
  CHECK(big->root.children.size() == 10000);
  CHECK(big->part_count == 10001);
  CHECK(big->root.children[9999].body.slice(raw) == "part 9999");
}

TEST_CASE("limit_huge_header_line_is_header_too_long", "[mime][limits]") {
  std::string raw = "Subject: " + std::string(100000, 'x') + "\r\n\r\nbody";
  CHECK(parse(raw).error().code == errc::kHeaderTooLong);
  std::string folded = "Subject: x\r\n " + std::string(40000, 'y') + "\r\n\r\n";
  CHECK(parse(folded).error().code == errc::kHeaderTooLong);
  std::string body_line =
      "Subject: x\r\n" + std::string(100000, 'z') + "\r\n";  // junk starts the body
  auto b = parse(body_line);
  REQUIRE(b.ok());
  CHECK(b->root.body.size() == 100002);
}

TEST_CASE("limit_header_count_and_message_size", "[mime][limits]") {
  std::string raw;
  for (int i = 0; i < 1001; ++i) raw += "X-H: v\r\n";
  raw += "\r\n";
  CHECK(parse(raw).error().code == errc::kTooManyHeaders);
  Limits l;
  l.max_message_size = 10;
  CHECK(parse("Subject: eleven", l).error().code == errc::kMessageTooLarge);
}

TEST_CASE("garbage_random_bytes_never_crash", "[mime][garbage]") {
  std::mt19937 rng(12345);
  const std::vector<std::string> tokens = {"\r\n",
                                           "\n",
                                           "--b",
                                           "--b--",
                                           "Content-Type: multipart/mixed; boundary=b\r\n",
                                           "Content-Type: message/rfc822\r\n",
                                           "Content-Transfer-Encoding: base64\r\n",
                                           "Content-Transfer-Encoding: quoted-printable\r\n",
                                           "=?utf-8?B?",
                                           "?=",
                                           "=\r\n",
                                           "=4",
                                           ":",
                                           " ",
                                           "\t",
                                           "\r",
                                           "\0",
                                           "Content-Type: text/html; charset=\"",
                                           "<body",
                                           "</body>",
                                           "=?"};
  for (int iter = 0; iter < 3000; ++iter) {
    std::string s;
    int n = static_cast<int>(rng() % 60);
    for (int i = 0; i < n; ++i) {
      if (rng() % 3 == 0) {
        for (int k = static_cast<int>(rng() % 8); k > 0; --k) s.push_back(static_cast<char>(rng()));
      } else {
        s += tokens[rng() % tokens.size()];
      }
    }
    exercise(s);
  }
}

TEST_CASE("garbage_mutated_corpus_never_crashes", "[mime][garbage]") {
  std::string base = smimegw::test::read_file(
      smimegw::test::shared_dir() /
      "corpus/thunderbird-comm-central/browser-smime-data/multipart-alternative.eml");
  std::mt19937 rng(777);
  for (int iter = 0; iter < 400; ++iter) {
    std::string s = base;
    for (int k = static_cast<int>(rng() % 20); k > 0; --k) {
      std::size_t pos = rng() % s.size();
      switch (rng() % 3) {
        case 0:
          s[pos] = static_cast<char>(rng());
          break;
        case 1:
          s.erase(pos, rng() % 40);
          break;
        default:
          s.insert(pos, s.substr(rng() % s.size(), rng() % 200));
          break;
      }
      if (s.empty()) s = "x";
    }
    exercise(s);
    std::string cut = s.substr(0, rng() % s.size());
    exercise(cut);  // truncated
  }
}
