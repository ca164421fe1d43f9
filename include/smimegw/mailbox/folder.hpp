// mailbox: the folders the store knows (Graph well-known folder names).
#pragma once

#include <optional>
#include <string_view>

namespace smimegw::mailbox {

enum class Folder { Inbox, SentItems };

/// "inbox" / "sentitems" (case-insensitive, as Graph accepts well-known names); nullopt otherwise.
std::optional<Folder> parse_folder(std::string_view name);
/// The stored name: "inbox" or "sentitems".
std::string_view folder_name(Folder f);

}  // namespace smimegw::mailbox
