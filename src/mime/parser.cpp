// mime: the structure parser. One linear pass per nesting level over the caller's buffer; every
// range is an offset into it (no body copies). RFC 5322 §2.2 (fields, folding), RFC 2045 §5–6,
// RFC 2046 §5.1.1 (delimiters own their preceding line break). Bounded by Limits.
#include "smimegw/mime/parser.hpp"

#include <algorithm>
#include <cstring>
#include <string>

#include "line_scan.hpp"
#include "smimegw/mime/error_codes.hpp"

namespace smimegw::mime {
namespace {

using core::Error;
using core::Status;
using detail::is_wsp;
using detail::line_at;

struct Ctx {
  std::string_view buf;
  const Limits& lim;
  std::size_t parts = 0;
  std::vector<Defect> defects;

  Status defect(const char* what, std::size_t offset) {
    if (lim.reject_malformed)
      return Error::make(errc::kMalformedMime, std::string("malformed MIME: ") + what);
    if (defects.size() < 100) defects.push_back({what, offset});
    return {};
  }
};

bool valid_field_name(std::string_view n) {
  if (n.empty()) return false;
  return std::all_of(n.begin(), n.end(), [](char c) { return c > 32 && c < 127 && c != ':'; });
}

std::string lower_trim(std::string_view s) {
  std::string v = unfold(s);
  for (char& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return v;
}

Status parse_entity(Ctx& ctx, std::size_t begin, std::size_t end, std::size_t depth,
                    bool digest_child, Part& out);

Status parse_header(Ctx& ctx, std::size_t begin, std::size_t end, Part& out) {
  std::string_view buf = ctx.buf;
  std::size_t pos = begin;
  std::size_t header_end = end;
  std::size_t body_begin = end;
  while (pos < end) {
    detail::Line l = line_at(buf, pos, end);
    const bool too_long = l.content_end - l.begin > ctx.lim.max_header_line;
    if (l.content_end == l.begin) {  // blank line: the separator
      header_end = pos;
      body_begin = l.next;
      break;
    }
    if (is_wsp(buf[pos]) && !out.headers.empty()) {  // folded continuation
      if (too_long) return Error::make(errc::kHeaderTooLong, "header line longer than the limit");
      out.headers.back().field.end = l.next;
      out.headers.back().value.end = l.content_end;
      pos = l.next;
      continue;
    }
    std::string_view line =
        buf.substr(pos, std::min(l.content_end - pos, ctx.lim.max_header_line + 1));
    std::size_t colon = line.find(':');
    std::string_view name = colon == std::string_view::npos ? line : line.substr(0, colon);
    while (!name.empty() && is_wsp(name.back())) name.remove_suffix(1);
    if (line.find('\0') != std::string_view::npos)
      if (Status s = ctx.defect("nul_in_header", pos); !s) return s;
    if (colon == std::string_view::npos || !valid_field_name(name)) {
      if (Status s = ctx.defect("junk_in_header", pos); !s) return s;
      header_end = pos;  // junk: the header block ends, the body starts here
      body_begin = pos;
      break;
    }
    if (too_long) return Error::make(errc::kHeaderTooLong, "header line longer than the limit");
    if (out.headers.size() >= ctx.lim.max_headers)
      return Error::make(errc::kTooManyHeaders, "too many header fields in one entity");
    out.headers.push_back({std::string(name), {pos, l.next}, {pos + colon + 1, l.content_end}});
    pos = l.next;
  }
  out.header = {begin, header_end};
  out.body = {body_begin, end};
  return {};
}

void interpret_header(std::string_view buf, bool digest_child, Part& out) {
  if (digest_child) {
    out.content_type.type = "message";
    out.content_type.subtype = "rfc822";
  }
  if (const HeaderField* f = out.find("Content-Type")) {
    if (auto ct = parse_content_type(f->unfolded(buf))) {
      out.content_type = std::move(*ct);
      out.content_type_present = true;
    }
  }
  if (const HeaderField* f = out.find("Content-Transfer-Encoding")) {
    std::string cte = lower_trim(f->raw_value(buf));
    if (!cte.empty()) out.transfer_encoding = std::move(cte);
  }
  if (const HeaderField* f = out.find("Content-Disposition"))
    out.disposition = parse_content_disposition(f->unfolded(buf));
}

struct Delim {
  std::size_t begin, next;
  bool close;
};

Status parse_multipart(Ctx& ctx, Part& out) {
  std::string_view buf = ctx.buf;
  const std::string dash = "--" + out.boundary;
  const std::size_t bb = out.body.begin, end = out.body.end;
  std::vector<Delim> delims;
  for (std::size_t pos = bb; pos < end;) {
    detail::Line l = line_at(buf, pos, end);
    std::size_t len = l.content_end - pos;
    if (len >= dash.size() && buf[pos] == '-' &&
        std::memcmp(buf.data() + pos, dash.data(), dash.size()) == 0) {
      std::size_t r = pos + dash.size();
      bool close = l.content_end - r >= 2 && buf[r] == '-' && buf[r + 1] == '-';
      if (close) r += 2;
      while (r < l.content_end && is_wsp(buf[r])) ++r;
      if (r == l.content_end) {
        std::size_t db = pos;
        if (pos > bb && buf[pos - 1] == '\n')
          db = (pos - 1 > bb && buf[pos - 2] == '\r') ? pos - 2 : pos - 1;
        if (!delims.empty()) db = std::max(db, delims.back().next);
        delims.push_back({db, l.next, close});
        if (close) break;
      }
    }
    pos = l.next;
  }
  if (delims.empty()) {  // no delimiter at all: keep the body as preamble, no children
    out.preamble = out.body;
    return ctx.defect("no_delimiter", bb);
  }
  out.preamble = {bb, delims.front().begin};
  for (std::size_t i = 0; i < delims.size(); ++i) {
    out.delimiters.push_back({delims[i].begin, delims[i].next});
    if (delims[i].close) {
      out.closed = true;
      out.epilogue = {delims[i].next, end};
      break;
    }
    std::size_t cb = delims[i].next;
    std::size_t ce = i + 1 < delims.size() ? delims[i + 1].begin : end;
    out.children.emplace_back();
    Status s = parse_entity(ctx, cb, ce, out.depth + 1, out.content_type.subtype == "digest",
                            out.children.back());
    if (!s) return s;
  }
  if (!out.closed) {
    out.epilogue = {end, end};
    return ctx.defect("missing_close_delimiter", end);
  }
  return {};
}

Status parse_entity(Ctx& ctx, std::size_t begin, std::size_t end, std::size_t depth,
                    bool digest_child, Part& out) {
  if (++ctx.parts > ctx.lim.max_parts)
    return Error::make(errc::kTooManyParts, "more MIME parts than the limit");
  if (depth > ctx.lim.max_depth)
    return Error::make(errc::kMimeTooDeep, "MIME nesting deeper than the limit");
  out.entity = {begin, end};
  out.depth = depth;
  if (Status s = parse_header(ctx, begin, end, out); !s) return s;
  interpret_header(ctx.buf, digest_child, out);
  const bool identity = out.transfer_encoding == "7bit" || out.transfer_encoding == "8bit" ||
                        out.transfer_encoding == "binary";
  if (out.content_type.is_multipart()) {
    auto b = out.content_type.params.get("boundary");
    if (b && !b->empty() && b->size() <= 200) {
      out.boundary = *b;
      return parse_multipart(ctx, out);
    }
    return ctx.defect("missing_boundary", out.header.begin);
  } else if (identity && out.content_type.type == "message" &&
             (out.content_type.subtype == "rfc822" || out.content_type.subtype == "global")) {
    out.children.emplace_back();
    return parse_entity(ctx, out.body.begin, out.body.end, depth + 1, false, out.children.back());
  }
  return {};
}

LineEndings detect_line_endings(std::string_view raw) {
  bool crlf = false, lf = false;
  for (std::size_t pos = 0; pos < raw.size();) {
    const void* p = std::memchr(raw.data() + pos, '\n', raw.size() - pos);
    if (p == nullptr) break;
    std::size_t i = static_cast<const char*>(p) - raw.data();
    (i > 0 && raw[i - 1] == '\r' ? crlf : lf) = true;
    if (crlf && lf) return LineEndings::Mixed;
    pos = i + 1;
  }
  return crlf ? LineEndings::Crlf : lf ? LineEndings::Lf : LineEndings::None;
}

}  // namespace

core::Result<Message> parse(std::string_view raw, const Limits& limits) {
  if (raw.size() > limits.max_message_size)
    return Error::make(errc::kMessageTooLarge, "message larger than the limit");
  Message msg;
  msg.raw = raw;
  msg.line_endings = detect_line_endings(raw);
  Ctx ctx{raw, limits, 0, {}};
  if (Status s = parse_entity(ctx, 0, raw.size(), 0, false, msg.root); !s) return s.error();
  msg.part_count = ctx.parts;
  msg.defects = std::move(ctx.defects);
  return msg;
}

}  // namespace smimegw::mime
