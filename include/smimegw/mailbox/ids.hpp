// mailbox: the opaque ids the sync API shows for messages and attachments (base64url strings, as
// Graph's ids are opaque strings). They are not secrets: every lookup is also filtered by the
// caller's mailbox, so an id of someone else's message is simply not found.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace smimegw::mailbox {

/// "AQAAAAAAAAAq"-style id of mailbox_messages.id.
std::string message_id_string(std::int64_t id);
/// The row id, or nullopt for anything message_id_string() did not produce.
std::optional<std::int64_t> parse_message_id(std::string_view s);

/// Id of the attachment with ordinal `n` (its position among the message's attachments).
std::string attachment_id_string(std::uint32_t n);
std::optional<std::uint32_t> parse_attachment_id(std::string_view s);

/// base64url without padding (RFC 4648 §5), used by ids and tokens.
std::string base64url(std::string_view bytes);
std::optional<std::string> unbase64url(std::string_view text);

}  // namespace smimegw::mailbox
