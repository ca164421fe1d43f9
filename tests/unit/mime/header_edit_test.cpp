// Header editing of a received message keeps every other byte as received.
#include "smimegw/mime/header_edit.hpp"

#include <catch2/catch.hpp>

#include "smimegw/mime/error_codes.hpp"
#include "smimegw/mime/parser.hpp"

using namespace smimegw::mime;

TEST_CASE("replace_header_edits_fields_and_keeps_body_bytes", "[mime][builder]") {
  std::string raw =
      "Received: from x\r\n\tby y; Mon, 23 Nov 2026\r\n"
      "Authentication-Results: evil.example; smime=pass\r\n"
      "X-Smimegw-Sign: yes\r\n"
      "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=sel; h=from:to:subject; "
      "bh=abcdefghijklmnopqrstuvwxyz0123456789=; b=xyz\r\n"
      "Content-Type: text/plain\r\n\r\nbody\nwith bare LF\n";
  auto m = parse(raw);
  REQUIRE(m.ok());
  HeaderBlock h = header_block(*m, m->root);
  CHECK(h.str() == m->bytes(m->root.header));  // verbatim, long lines not refolded
  CHECK(h.remove("X-Smimegw-Sign") == 1);
  CHECK(h.remove("Authentication-Results") == 1);
  REQUIRE(h.prepend("Authentication-Results",
                    "gw.example; smime=pass header.smime-identifier=a@example.com")
              .ok());
  CHECK(h.prepend("Authentication-Results", "x\r\nBcc: y").error().code == errc::kHeaderInjection);
  std::string out = replace_header(*m, m->root, h);
  CHECK(
      out.starts_with("Authentication-Results: gw.example; smime=pass\r\n "
                      "header.smime-identifier=a@example.com\r\nReceived: from x\r\n\tby y;"));
  CHECK(out.find("X-Smimegw-Sign") == std::string::npos);
  CHECK(out.find("evil.example") == std::string::npos);
  CHECK(out.ends_with("\r\n\r\nbody\nwith bare LF\n"));
  auto again = parse(out);
  REQUIRE(again.ok());
  CHECK(again->bytes(again->root.body) == m->bytes(m->root.body));
  CHECK(again->root.headers.size() == 4);
}

TEST_CASE("replace_header_of_a_nested_part_and_headerless_message", "[mime][builder]") {
  std::string raw =
      "Content-Type: multipart/mixed; boundary=q\r\n\r\n--q\r\nX-A: 1\r\n\r\none\r\n--q--\r\n";
  auto m = parse(raw);
  REQUIRE(m.ok());
  const Part& child = m->root.children.at(0);
  HeaderBlock h = header_block(*m, child);
  REQUIRE(h.set("X-A", "2").ok());
  CHECK(replace_header(*m, child, h) ==
        "Content-Type: multipart/mixed; boundary=q\r\n\r\n--q\r\nX-A: 2\r\n\r\none\r\n--q--\r\n");
  std::string junk = "no header here\r\n";
  auto j = parse(junk);
  REQUIRE(j.ok());
  HeaderBlock add;
  REQUIRE(add.add("Subject", "s").ok());
  CHECK(replace_header(*j, j->root, add) == "Subject: s\r\n\r\nno header here\r\n");
}
