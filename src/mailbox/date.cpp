// mailbox: RFC 5322 date-time parsing (bounded, no locale, no time zone database).
#include "smimegw/mailbox/date.hpp"

#include <array>
#include <cctype>
#include <string>
#include <vector>

namespace smimegw::mailbox {

namespace {
std::vector<std::string> tokens(std::string_view v) {
  std::vector<std::string> out;
  std::string cur;
  int comment = 0;
  for (char c : v) {
    if (c == '(') ++comment;
    if (comment) {
      if (c == ')') --comment;
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(c)) || c == ',') {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

std::optional<int> number(const std::string& s) {
  if (s.empty() || s.size() > 4) return std::nullopt;
  int v = 0;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

std::optional<int> month(const std::string& s) {
  static constexpr std::array<const char*, 12> kNames = {"jan", "feb", "mar", "apr", "may", "jun",
                                                         "jul", "aug", "sep", "oct", "nov", "dec"};
  if (s.size() < 3) return std::nullopt;
  std::string l;
  for (int i = 0; i < 3; ++i)
    l.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(s[i]))));
  for (std::size_t i = 0; i < kNames.size(); ++i)
    if (l == kNames[i]) return static_cast<int>(i) + 1;
  return std::nullopt;
}

/// Offset east of UTC in minutes.
std::optional<int> zone(const std::string& z) {
  if ((z[0] == '+' || z[0] == '-') && z.size() == 5) {
    auto hhmm = number(z.substr(1));
    if (!hhmm) return std::nullopt;
    const int m = (*hhmm / 100) * 60 + *hhmm % 100;
    return z[0] == '-' ? -m : m;
  }
  static const std::array<std::pair<const char*, int>, 10> kNamed = {{{"UT", 0},
                                                                      {"GMT", 0},
                                                                      {"Z", 0},
                                                                      {"EST", -300},
                                                                      {"EDT", -240},
                                                                      {"CST", -360},
                                                                      {"CDT", -300},
                                                                      {"MST", -420},
                                                                      {"MDT", -360},
                                                                      {"PST", -480}}};
  std::string u;
  for (char c : z) u.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  if (u == "PDT") return -420;
  for (const auto& [n, off] : kNamed)
    if (u == n) return off;
  return 0;  // RFC 5322 §4.3: other (military) zones are treated as "-0000"
}

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}
}  // namespace

std::optional<std::int64_t> parse_rfc5322_date(std::string_view value) {
  if (value.size() > 256) return std::nullopt;
  auto t = tokens(value);
  std::size_t i = 0;
  if (i < t.size() && !t[i].empty() && std::isalpha(static_cast<unsigned char>(t[i][0])))
    ++i;  // day
  if (t.size() < i + 4) return std::nullopt;
  auto day = number(t[i]);
  auto mon = month(t[i + 1]);
  auto year = number(t[i + 2]);
  if (!day || !mon || !year || *day < 1 || *day > 31) return std::nullopt;
  int y = *year;
  if (t[i + 2].size() <= 2)
    y += y < 50 ? 2000 : 1900;  // §4.3
  else if (t[i + 2].size() == 3)
    y += 1900;
  const std::string& clock = t[i + 3];
  int hms[3] = {0, 0, 0};
  std::size_t pos = 0;
  for (int k = 0; k < 3 && pos <= clock.size(); ++k) {
    const auto colon = clock.find(':', pos);
    const auto part =
        clock.substr(pos, colon == std::string::npos ? std::string::npos : colon - pos);
    auto n = number(part);
    if (!n || part.size() > 2) return std::nullopt;
    hms[k] = *n;
    if (colon == std::string::npos) {
      if (k == 0) return std::nullopt;  // hour:minute at least
      break;
    }
    pos = colon + 1;
  }
  if (hms[0] > 23 || hms[1] > 59 || hms[2] > 60) return std::nullopt;
  int offset = 0;
  if (t.size() > i + 4) {
    auto z = zone(t[i + 4]);
    if (!z) return std::nullopt;
    offset = *z;
  }
  const std::int64_t days =
      days_from_civil(y, static_cast<unsigned>(*mon), static_cast<unsigned>(*day));
  return days * 86400 + hms[0] * 3600 + hms[1] * 60 + hms[2] - std::int64_t{offset} * 60;
}

}  // namespace smimegw::mailbox
