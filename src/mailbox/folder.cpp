// mailbox: folder names.
#include "smimegw/mailbox/folder.hpp"

#include "smimegw/mime/header_field.hpp"

namespace smimegw::mailbox {

std::optional<Folder> parse_folder(std::string_view name) {
  if (mime::iequals(name, "inbox")) return Folder::Inbox;
  if (mime::iequals(name, "sentitems")) return Folder::SentItems;
  return std::nullopt;
}

std::string_view folder_name(Folder f) {
  return f == Folder::Inbox ? "inbox" : "sentitems";
}

}  // namespace smimegw::mailbox
