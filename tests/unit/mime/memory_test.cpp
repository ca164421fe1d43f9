// A 25 MiB message parses without copying bodies: the parser's own allocations stay tiny, and
// parse + canonical copy + decode of the attachment stays well under 4× the message size.
#include <malloc.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <new>

#include "smimegw/mime/canonical.hpp"
#include "smimegw/mime/parser.hpp"
#include "smimegw/mime/transfer_encoding.hpp"

namespace {
// Every operator new/delete form is replaced so that all C++ heap traffic of this binary is
// counted (malloc_usable_size keeps the bookkeeping header-free and consistent).
std::atomic<std::size_t> g_current{0}, g_peak{0};

void account(void* p) {
  std::size_t n = malloc_usable_size(p);
  std::size_t now = g_current.fetch_add(n) + n;
  std::size_t peak = g_peak.load();
  while (now > peak && !g_peak.compare_exchange_weak(peak, now)) {
  }
}
void* counted_alloc(std::size_t n, std::size_t align = 0) {
  if (n == 0) n = 1;
  void* p = align > alignof(std::max_align_t)
                ? std::aligned_alloc(align, (n + align - 1) / align * align)
                : std::malloc(n);
  if (p != nullptr) account(p);
  return p;
}
void counted_free(void* p) noexcept {
  if (p == nullptr) return;
  g_current.fetch_sub(malloc_usable_size(p));
  std::free(p);
}
void* must(void* p) {
  if (p == nullptr) throw std::bad_alloc();
  return p;
}
}  // namespace

void* operator new(std::size_t n) {
  return must(counted_alloc(n));
}
void* operator new[](std::size_t n) {
  return must(counted_alloc(n));
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  return counted_alloc(n);
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  return counted_alloc(n);
}
void* operator new(std::size_t n, std::align_val_t a) {
  return must(counted_alloc(n, static_cast<std::size_t>(a)));
}
void* operator new[](std::size_t n, std::align_val_t a) {
  return must(counted_alloc(n, static_cast<std::size_t>(a)));
}
void operator delete(void* p) noexcept {
  counted_free(p);
}
void operator delete[](void* p) noexcept {
  counted_free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  counted_free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  counted_free(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  counted_free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  counted_free(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
  counted_free(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
  counted_free(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
  counted_free(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
  counted_free(p);
}

using namespace smimegw::mime;

TEST_CASE("memory_25mib_message_parses_without_body_copies", "[mime][memory]") {
  std::string payload(19u << 20, '\0');
  for (std::size_t i = 0; i < payload.size(); ++i)
    payload[i] = static_cast<char>(i * 2654435761u >> 13);
  std::string raw =
      "From: a@example.com\r\nContent-Type: multipart/mixed; boundary=mem\r\n\r\n--mem\r\n"
      "Content-Type: text/plain\r\n\r\nsee attachment\r\n--mem\r\nContent-Type: "
      "application/octet-stream\r\n"
      "Content-Transfer-Encoding: base64\r\n\r\n" +
      encode_base64(payload) + "--mem--\r\n";
  payload.clear();
  payload.shrink_to_fit();
  REQUIRE(raw.size() > (25u << 20));
  const std::size_t size = raw.size();

  std::size_t base = g_current.load();
  g_peak.store(base);
  auto m = parse(raw);
  REQUIRE(m.ok());
  std::size_t parse_peak = g_peak.load() - base;
  CHECK(parse_peak < (64u << 10));  // no body copies at all

  auto decoded = decode_transfer(m->bytes(m->root.children.at(1).body), "base64", true);
  REQUIRE(decoded.ok());
  std::string canon = canonical_crlf(m->bytes(m->root.entity));
  CHECK(canon.size() == size);
  std::size_t total_peak = g_peak.load() - base + size;  // + the message itself
  CHECK(total_peak < 3 * size);
  INFO("parse peak " << parse_peak << " bytes, total peak " << total_peak << " for " << size);
}
