// mime: address lists (RFC 5322 §3.4) through GMime's InternetAddressList.
#include "smimegw/mime/address_list.hpp"

#include "encoded_word.hpp"
#include "gmime_init.hpp"
#include "smimegw/mime/charset.hpp"
#include "smimegw/mime/encoded_words.hpp"

namespace smimegw::mime {
namespace {

void collect(InternetAddressList* list, std::vector<Mailbox>& out, int depth) {
  if (list == nullptr || depth > 4) return;
  int n = internet_address_list_length(list);
  for (int i = 0; i < n; ++i) {
    InternetAddress* ia = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
      const char* addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
      const char* name = internet_address_get_name(ia);
      if (addr == nullptr || *addr == '\0') continue;
      out.push_back({name ? name : "", addr});
    } else if (INTERNET_ADDRESS_IS_GROUP(ia)) {
      collect(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)), out, depth + 1);
    }
  }
}

}  // namespace

std::vector<Mailbox> parse_address_list(std::string_view value) {
  std::vector<Mailbox> out;
  std::string in = detail::merge_word_runs(value);
  if (in.find('\0') != std::string::npos) return out;
  detail::ensure_gmime();
  InternetAddressList* list = internet_address_list_parse(nullptr, in.c_str());
  if (list == nullptr) return out;
  collect(list, out, 0);
  g_object_unref(list);
  return out;
}

std::string format_mailbox(const Mailbox& m) {
  auto clean = [](std::string_view s) {
    std::string r;
    for (char c : s)
      if (c != '\r' && c != '\n' && c != '\0') r.push_back(c);
    return r;
  };
  std::string addr = clean(m.address), name = clean(m.display_name);
  if (name.empty()) return addr;
  if (!is_ascii(name)) {
    std::string enc = encode_header_text(name);
    for (std::size_t p = enc.find("\r\n "); p != std::string::npos; p = enc.find("\r\n ", p))
      enc.erase(p, 2);  // one logical line; HeaderBlock folds it
    return enc + " <" + addr + ">";
  }
  bool atoms = name.find_first_of("()<>[]:;@\\,.\"") == std::string::npos;
  if (atoms) return name + " <" + addr + ">";
  std::string q = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') q.push_back('\\');
    q.push_back(c);
  }
  return q + "\" <" + addr + ">";
}

}  // namespace smimegw::mime
