#include "smimegw/http/json.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/stream_parser.hpp>
#include <cctype>
#include <charconv>
#include <cmath>

namespace smimegw::http {

namespace json = boost::json;

namespace {

core::Error invalid(std::string field, std::string what) {
  return core::Error::make("validation_failed", field + ": " + what);
}

std::string position_of(std::string_view text, std::size_t offset) {
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return "line " + std::to_string(line) + " column " + std::to_string(col) + " (byte " +
         std::to_string(offset) + ")";
}

std::optional<long long> to_int(std::string_view s) {
  long long v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

std::string percent_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '@') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// A number beyond a double's range parses as an infinity, which Boost.JSON would serialise as
// "Infinity" (not JSON) and PostgreSQL's jsonb refuses: such a body is refused as malformed
// (RFC 8259 §6 lets a parser limit the range of numbers). Recursion is bounded by max_depth.
bool finite_numbers(const json::value& v) {
  if (v.is_double()) return std::isfinite(v.get_double());
  if (v.is_array()) {
    for (const auto& e : v.get_array())
      if (!finite_numbers(e)) return false;
  } else if (v.is_object()) {
    for (const auto& kv : v.get_object())
      if (!finite_numbers(kv.value())) return false;
  }
  return true;
}

}  // namespace

core::Result<json::value> parse_json(std::string_view text) {
  json::parse_options opts;
  opts.max_depth = 32;
  json::stream_parser p({}, opts);
  boost::system::error_code ec;
  std::size_t used = p.write_some(text.data(), text.size(), ec);
  if (!ec && used < text.size()) ec = json::error::extra_data;
  if (!ec) p.finish(ec);
  if (ec) {
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
      return core::Error::make("invalid_json", "malformed JSON: empty body");
    return core::Error::make("invalid_json",
                             "malformed JSON at " + position_of(text, used) + ": " + ec.message());
  }
  json::value v = p.release();
  if (!finite_numbers(v))
    return core::Error::make("invalid_json", "malformed JSON: a number is out of range");
  return v;
}

core::Result<json::object> parse_json_object(std::string_view text) {
  auto v = parse_json(text);
  if (!v) return v.error();
  if (!v->is_object()) return invalid("body", "must be a JSON object");
  return std::move(v->as_object());
}

Response json_value_response(int status, const json::value& v) {
  return json_response(status, json::serialize(v));
}

std::string percent_decode(std::string_view s, bool plus_as_space) {
  std::string r;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+' && plus_as_space) {
      r += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() &&
               std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      r += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      r += s[i];
    }
  }
  return r;
}

std::map<std::string, std::string> parse_query(std::string_view query) {
  std::map<std::string, std::string> out;
  auto decode = [](std::string_view s) { return percent_decode(s, true); };
  std::size_t pos = 0;
  while (pos <= query.size() && !query.empty()) {
    auto amp = query.find('&', pos);
    auto part =
        query.substr(pos, amp == std::string_view::npos ? std::string_view::npos : amp - pos);
    if (!part.empty()) {
      auto eq = part.find('=');
      if (eq == std::string_view::npos)
        out[decode(part)] = "";
      else
        out[decode(part.substr(0, eq))] = decode(part.substr(eq + 1));
    }
    if (amp == std::string_view::npos) break;
    pos = amp + 1;
  }
  return out;
}

core::Result<Page> parse_page(const Request& req) {
  auto q = parse_query(req.query);
  Page page;
  if (auto it = q.find("top"); it != q.end()) {
    auto v = to_int(it->second);
    if (!v || *v < 1 || *v > kMaxTop)
      return invalid("top", "must be an integer 1.." + std::to_string(kMaxTop));
    page.top = static_cast<int>(*v);
  }
  if (auto it = q.find("skip"); it != q.end()) {
    auto v = to_int(it->second);
    if (!v || *v < 0 || *v > kMaxSkip)
      return invalid("skip", "must be an integer 0.." + std::to_string(kMaxSkip));
    page.skip = static_cast<int>(*v);
  }
  return page;
}

Response page_response(json::array items, const Page& page, const Request& req) {
  json::object out;
  bool more = items.size() > static_cast<std::size_t>(page.top);
  if (more) items.resize(static_cast<std::size_t>(page.top));
  out["value"] = std::move(items);
  if (more) {
    std::string link = req.path + "?";
    for (const auto& [k, v] : parse_query(req.query))
      if (k != "top" && k != "skip") link += percent_encode(k) + "=" + percent_encode(v) + "&";
    link += "top=" + std::to_string(page.top) + "&skip=" + std::to_string(page.skip + page.top);
    out["nextLink"] = link;
  }
  return json_value_response(200, out);
}

core::Result<std::optional<std::string>> string_field(const json::object& o, std::string_view name,
                                                      bool required, std::size_t max_len) {
  auto it = o.find(name);
  if (it == o.end() || it->value().is_null()) {
    if (required) return invalid(std::string(name), "required");
    return std::optional<std::string>();
  }
  if (!it->value().is_string()) return invalid(std::string(name), "must be a string");
  const auto& s = it->value().as_string();
  if (s.size() > max_len)
    return invalid(std::string(name), "longer than " + std::to_string(max_len) + " characters");
  return std::optional<std::string>(std::string(s.data(), s.size()));
}

core::Result<std::optional<bool>> bool_field(const json::object& o, std::string_view name) {
  auto it = o.find(name);
  if (it == o.end() || it->value().is_null()) return std::optional<bool>();
  if (!it->value().is_bool()) return invalid(std::string(name), "must be true or false");
  return std::optional<bool>(it->value().as_bool());
}

core::Result<std::int64_t> id_param(const Request& req, const std::string& name) {
  auto it = req.params.find(name);
  auto v = it == req.params.end() ? std::nullopt : to_int(it->second);
  if (!v || *v < 1) return invalid(name, "must be a positive integer");
  return static_cast<std::int64_t>(*v);
}

std::optional<std::int64_t> numeric_id(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::int64_t id = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    id = id * 10 + (c - '0');
  }
  return id;
}

}  // namespace smimegw::http
