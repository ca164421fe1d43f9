// cms (private): DER writer, see der.hpp.
#include "der.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <string>

namespace smimegw::cms::der {

namespace {

std::size_t length_size(std::size_t n) {
  if (n < 0x80) return 1;
  std::size_t k = 0;
  for (std::size_t v = n; v; v >>= 8) ++k;
  return 1 + k;
}

void put_length(std::vector<std::uint8_t>& out, std::size_t n) {
  if (n < 0x80) {
    out.push_back(static_cast<std::uint8_t>(n));
    return;
  }
  std::size_t k = length_size(n) - 1;
  out.push_back(static_cast<std::uint8_t>(0x80 | k));
  for (std::size_t i = k; i-- > 0;) out.push_back(static_cast<std::uint8_t>(n >> (8 * i)));
}

}  // namespace

Node Node::prim(std::uint8_t tag, std::vector<std::uint8_t> content) {
  Node n;
  n.kind_ = Kind::prim;
  n.tag_ = tag;
  n.owned_ = std::move(content);
  n.data_ = n.owned_;
  return n;
}

Node Node::prim_ref(std::uint8_t tag, Bytes content) {
  Node n;
  n.kind_ = Kind::prim;
  n.tag_ = tag;
  n.data_ = content;
  return n;
}

Node Node::raw(std::vector<std::uint8_t> encoded) {
  Node n;
  n.kind_ = Kind::raw;
  n.owned_ = std::move(encoded);
  n.data_ = n.owned_;
  return n;
}

Node Node::raw_ref(Bytes encoded) {
  Node n;
  n.kind_ = Kind::raw;
  n.data_ = encoded;
  return n;
}

Node Node::hole(std::uint8_t tag, std::size_t size, std::size_t* offset) {
  Node n;
  n.kind_ = Kind::hole;
  n.tag_ = tag;
  n.hole_size_ = size;
  n.hole_offset_ = offset;
  return n;
}

Node Node::cons(std::uint8_t tag, std::vector<Node> children) {
  Node n;
  n.kind_ = Kind::cons;
  n.tag_ = tag;
  n.children_ = std::move(children);
  return n;
}

Node Node::set_of(std::vector<Node> children) {
  std::vector<std::vector<std::uint8_t>> enc;
  enc.reserve(children.size());
  for (const auto& c : children) enc.push_back(c.encode());
  std::sort(enc.begin(), enc.end());
  std::vector<Node> sorted;
  for (auto& e : enc) sorted.push_back(raw(std::move(e)));
  return cons(kSet, std::move(sorted));
}

// Nodes own vectors whose data_ spans point into owned_; moving a vector keeps its buffer, so
// spans stay valid after moves (std::vector move never reallocates).
std::size_t Node::content_size() const {
  if (kind_ == Kind::hole) return hole_size_;
  if (kind_ != Kind::cons) return data_.size();
  std::size_t s = 0;
  for (const auto& c : children_) s += c.size();
  return s;
}

std::size_t Node::size() const {
  if (kind_ == Kind::raw) return data_.size();
  const std::size_t c = content_size();
  return 1 + length_size(c) + c;
}

void Node::write(std::vector<std::uint8_t>& out) const {
  if (kind_ == Kind::raw) {
    out.insert(out.end(), data_.begin(), data_.end());
    return;
  }
  out.push_back(tag_);
  put_length(out, content_size());
  if (kind_ == Kind::hole) {
    *hole_offset_ = out.size();
    out.resize(out.size() + hole_size_);
  } else if (kind_ == Kind::prim) {
    out.insert(out.end(), data_.begin(), data_.end());
  } else {
    for (const auto& c : children_) c.write(out);
  }
}

std::vector<std::uint8_t> Node::encode() const {
  std::vector<std::uint8_t> out;
  out.reserve(size());
  write(out);
  return out;
}

Node oid(std::string_view dotted) {
  std::vector<std::uint64_t> arcs;
  std::size_t pos = 0;
  while (pos <= dotted.size()) {
    std::size_t end = dotted.find('.', pos);
    if (end == std::string_view::npos) end = dotted.size();
    std::uint64_t v = 0;
    std::from_chars(dotted.data() + pos, dotted.data() + end, v);
    arcs.push_back(v);
    pos = end + 1;
  }
  std::vector<std::uint8_t> out;
  auto put = [&](std::uint64_t v) {
    std::uint8_t tmp[10];
    int n = 0;
    do {
      tmp[n++] = static_cast<std::uint8_t>(v & 0x7F);
      v >>= 7;
    } while (v);
    while (n-- > 0) out.push_back(static_cast<std::uint8_t>(tmp[n] | (n ? 0x80 : 0)));
  };
  if (arcs.size() >= 2) put(arcs[0] * 40 + arcs[1]);
  for (std::size_t i = 2; i < arcs.size(); ++i) put(arcs[i]);
  return Node::prim(kOid, std::move(out));
}

Node integer(long v) {
  std::vector<std::uint8_t> b;
  do {
    b.insert(b.begin(), static_cast<std::uint8_t>(v & 0xFF));
    v >>= 8;
  } while (v);
  if (b[0] & 0x80) b.insert(b.begin(), 0);
  return Node::prim(kInteger, std::move(b));
}

Node integer_bytes(Bytes magnitude) {
  std::size_t i = 0;
  while (i + 1 < magnitude.size() && magnitude[i] == 0) ++i;
  std::vector<std::uint8_t> b(magnitude.begin() + i, magnitude.end());
  if (b.empty()) b.push_back(0);
  if (b[0] & 0x80) b.insert(b.begin(), 0);
  return Node::prim(kInteger, std::move(b));
}

Node null() {
  return Node::prim(kNull, {});
}

Node octet_string(std::vector<std::uint8_t> v) {
  return Node::prim(kOctetString, std::move(v));
}

Node time(std::chrono::system_clock::time_point t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  const int year = tm.tm_year + 1900;
  char buf[32];
  const bool utc = year >= 1950 && year < 2050;
  const int n = utc ? std::snprintf(buf, sizeof buf, "%02d%02d%02d%02d%02d%02dZ", year % 100,
                                    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec)
                    : std::snprintf(buf, sizeof buf, "%04d%02d%02d%02d%02d%02dZ", year,
                                    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return Node::prim(utc ? kUtcTime : kGeneralizedTime, std::vector<std::uint8_t>(buf, buf + n));
}

Node alg(std::string_view dotted, bool null_params) {
  std::vector<Node> c;
  c.push_back(oid(dotted));
  if (null_params) c.push_back(null());
  return Node::cons(kSequence, std::move(c));
}

Node alg(std::string_view dotted, Node params) {
  std::vector<Node> c;
  c.push_back(oid(dotted));
  c.push_back(std::move(params));
  return Node::cons(kSequence, std::move(c));
}

}  // namespace smimegw::cms::der
