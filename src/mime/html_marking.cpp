// mime: HTML insertion for marking (case-insensitive <body> / </body> search).
#include "html_marking.hpp"

#include <algorithm>
#include <cctype>

namespace smimegw::mime::detail {
namespace {

std::size_t ifind(std::string_view hay, std::string_view needle, std::size_t from = 0) {
  auto eq = [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  };
  if (from > hay.size()) return std::string_view::npos;
  auto it = std::search(hay.begin() + from, hay.end(), needle.begin(), needle.end(), eq);
  return it == hay.end() ? std::string_view::npos : static_cast<std::size_t>(it - hay.begin());
}

std::size_t body_open_end(std::string_view html) {
  for (std::size_t p = ifind(html, "<body"); p != std::string_view::npos;
       p = ifind(html, "<body", p + 5)) {
    char next = p + 5 < html.size() ? html[p + 5] : '\0';
    if (next == '>' || next == '/' || std::isspace(static_cast<unsigned char>(next))) {
      std::size_t gt = html.find('>', p);
      return gt == std::string_view::npos ? std::string_view::npos : gt + 1;
    }
  }
  return std::string_view::npos;
}

std::size_t body_close(std::string_view html) {
  std::size_t last = std::string_view::npos;
  for (std::size_t p = ifind(html, "</body"); p != std::string_view::npos;
       p = ifind(html, "</body", p + 6))
    last = p;
  return last;
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '\r':
        break;
      case '\n':
        out += "<br>";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string insert_html(std::string_view html, std::string_view top, std::string_view bottom) {
  std::size_t open = body_open_end(html);
  std::size_t at_top = open == std::string_view::npos ? 0 : open;
  std::size_t close = body_close(html);
  std::size_t at_bottom = close == std::string_view::npos || close < at_top ? html.size() : close;
  std::string out;
  out.reserve(html.size() + top.size() + bottom.size());
  out.append(html.substr(0, at_top));
  out.append(top);
  out.append(html.substr(at_top, at_bottom - at_top));
  out.append(bottom);
  out.append(html.substr(at_bottom));
  return out;
}

}  // namespace smimegw::mime::detail
