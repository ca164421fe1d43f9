// app: group expansion as JSON (group_render.hpp).
#include "group_render.hpp"

#include <boost/json/array.hpp>

namespace smimegw::app {

boost::json::object expansion_json(const directory::Expansion& e) {
  boost::json::object o;
  o["group"] = e.group;
  o["complete"] = e.complete();
  boost::json::array members, problems;
  for (const auto& m : e.members) {
    boost::json::array path(m.path.begin(), m.path.end());
    members.push_back({{"address", m.member.address},
                       {"kind", directory::to_string(m.member.kind)},
                       {"enabled", m.member.enabled},
                       {"path", path}});
  }
  for (const auto& p : e.problems) {
    boost::json::array path(p.path.begin(), p.path.end());
    problems.push_back({{"code", p.code}, {"message", p.message}, {"path", path}});
  }
  o["members"] = members;
  o["problems"] = problems;
  return o;
}

}  // namespace smimegw::app
