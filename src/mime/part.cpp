// mime: Part and Message accessors.
#include <cctype>

#include "smimegw/mime/message.hpp"

namespace smimegw::mime {

const HeaderField* Part::find(std::string_view name) const {
  for (const HeaderField& f : headers)
    if (iequals(f.name, name)) return &f;
  return nullptr;
}

std::string Part::charset() const {
  auto cs = content_type.params.get("charset");
  if (!cs || cs->empty()) return "us-ascii";
  std::string v = *cs;
  for (char& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return v;
}

std::string_view Message::header_value_raw(const Part& p, std::string_view name) const {
  const HeaderField* f = p.find(name);
  return f ? f->raw_value(raw) : std::string_view{};
}

std::string Message::header(std::string_view name) const {
  const HeaderField* f = root.find(name);
  return f ? f->unfolded(raw) : std::string{};
}

}  // namespace smimegw::mime
