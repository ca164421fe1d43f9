// mime: an editable header block; injection-safe (no CR/LF/NUL in given values) and folded
// output (RFC 5322 §2.1.1: 78 recommended, 998 hard).
#include "smimegw/mime/header_block.hpp"

#include <algorithm>

#include "smimegw/mime/canonical.hpp"
#include "smimegw/mime/encoded_words.hpp"
#include "smimegw/mime/error_codes.hpp"
#include "smimegw/mime/header_field.hpp"

namespace smimegw::mime {
namespace {

core::Status check_name(std::string_view name) {
  if (name.empty() || name.size() > 76 ||
      !std::all_of(name.begin(), name.end(), [](char c) { return c > 32 && c < 127 && c != ':'; }))
    return core::Error::make(errc::kBadHeaderName, "invalid header field name");
  return {};
}

// Folds one logical line ("Name: value") at whitespace so lines stay ≤ 78 where possible.
void fold_into(std::string& out, std::string_view line) {
  while (line.size() > 78) {
    std::size_t cut = line.substr(0, 78).find_last_of(" \t");
    if (cut == std::string_view::npos || cut == 0) {
      cut = line.find_first_of(" \t", 78);  // long token: fold at the next chance
      if (cut == std::string_view::npos) break;
    }
    out.append(line.substr(0, cut));
    out += "\r\n";
    line = line.substr(cut);  // the continuation starts with the whitespace
  }
  out.append(line);
  out += "\r\n";
}

}  // namespace

core::Status check_header_value(std::string_view value) {
  if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos)
    return core::Error::make(errc::kHeaderInjection, "CR, LF or NUL in a header value");
  return {};
}

core::Status HeaderBlock::add(std::string_view name, std::string_view value) {
  if (auto s = check_name(name); !s) return s;
  if (auto s = check_header_value(value); !s) return s;
  fields_.push_back({std::string(name), encode_header_text(value, name.size() + 2)});
  return {};
}

core::Status HeaderBlock::prepend(std::string_view name, std::string_view value) {
  if (auto s = check_name(name); !s) return s;
  if (auto s = check_header_value(value); !s) return s;
  fields_.insert(fields_.begin(),
                 Field{std::string(name), encode_header_text(value, name.size() + 2)});
  return {};
}

core::Status HeaderBlock::set(std::string_view name, std::string_view value) {
  if (auto s = check_name(name); !s) return s;
  if (auto s = check_header_value(value); !s) return s;
  auto it = std::find_if(fields_.begin(), fields_.end(),
                         [&](const Field& f) { return iequals(f.name, name); });
  if (it == fields_.end()) return add(name, value);
  it->value = encode_header_text(value, name.size() + 2);
  it->verbatim = false;
  ++it;
  fields_.erase(
      std::remove_if(it, fields_.end(), [&](const Field& f) { return iequals(f.name, name); }),
      fields_.end());
  return {};
}

std::size_t HeaderBlock::remove(std::string_view name) {
  std::size_t before = fields_.size();
  fields_.erase(std::remove_if(fields_.begin(), fields_.end(),
                               [&](const Field& f) { return iequals(f.name, name); }),
                fields_.end());
  return before - fields_.size();
}

const HeaderBlock::Field* HeaderBlock::find(std::string_view name) const {
  for (const Field& f : fields_)
    if (iequals(f.name, name)) return &f;
  return nullptr;
}

std::string HeaderBlock::str() const {
  std::string out;
  for (const Field& f : fields_) {
    if (f.verbatim) {
      std::string v = canonical_crlf(f.value);
      while (!v.empty() && (v.back() == '\n' || v.back() == '\r')) v.pop_back();
      out += f.name + ":" + v + "\r\n";
    } else if (f.value.find('\n') != std::string::npos) {  // encoded words, folded already
      out += f.name + ":" + (f.value.empty() || f.value[0] == ' ' || f.value[0] == '\t' ? "" : " ");
      std::string v = canonical_crlf(f.value);
      while (!v.empty() && (v.back() == '\n' || v.back() == '\r')) v.pop_back();
      out += v + "\r\n";
    } else {
      std::string_view v = f.value;
      while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
      fold_into(out, f.name + ": " + std::string(v));
    }
  }
  return out;
}

}  // namespace smimegw::mime
