// app: the JSON shape of a group expansion, shared by `smimegw groups expand --json` and the
// admin API's GET /admin/v1/groups/{id}/expand:
//   {"group", "complete", "members":[{address, kind, enabled, path[]}],
//    "problems":[{code, message, path[]}]}
#pragma once

#include <boost/json/object.hpp>

#include "smimegw/directory/group_expansion.hpp"

namespace smimegw::app {

boost::json::object expansion_json(const directory::Expansion& e);

}  // namespace smimegw::app
