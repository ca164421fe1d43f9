// policy: marking template rendering (marking_template.hpp).
#include "smimegw/policy/marking_template.hpp"

#include "smimegw/core/address.hpp"
#include "smimegw/core/time_format.hpp"

namespace smimegw::policy {
namespace {

enum class Var { item_label, user_name, event_datetime, unknown };

Var classify(std::string_view name) {
  const auto l = core::ascii_lower(name);
  if (l == "item.label") return Var::item_label;
  if (l == "user.name") return Var::user_name;
  if (l == "event.datetime") return Var::event_datetime;
  return Var::unknown;
}

// Calls on_text for literal runs and on_var for each complete ${...}.
template <class Text, class VarFn>
void scan(std::string_view tpl, Text on_text, VarFn on_var) {
  std::size_t pos = 0;
  while (pos < tpl.size()) {
    auto open = tpl.find("${", pos);
    auto close = open == std::string_view::npos ? open : tpl.find('}', open + 2);
    if (close == std::string_view::npos) {
      on_text(tpl.substr(pos));
      return;
    }
    on_text(tpl.substr(pos, open - pos));
    on_var(tpl.substr(open, close + 1 - open), tpl.substr(open + 2, close - open - 2));
    pos = close + 1;
  }
}

}  // namespace

std::string render_template(std::string_view tpl, const TemplateValues& v) {
  std::string out;
  scan(
      tpl, [&](std::string_view t) { out += t; },
      [&](std::string_view whole, std::string_view name) {
        switch (classify(name)) {
          case Var::item_label:
            out += v.item_label;
            break;
          case Var::user_name:
            out += v.user_name;
            break;
          case Var::event_datetime:
            out += core::iso8601_utc(v.event_time);
            break;
          case Var::unknown:
            out += whole;
            break;
        }
      });
  return out;
}

std::vector<std::string> unknown_variables(std::string_view tpl) {
  std::vector<std::string> out;
  scan(
      tpl, [](std::string_view) {},
      [&](std::string_view whole, std::string_view name) {
        if (classify(name) == Var::unknown) out.emplace_back(whole);
      });
  return out;
}

}  // namespace smimegw::policy
