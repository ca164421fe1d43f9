// mailbox — the local mailbox store service for the Graph-style sync API (ARCHITECTURE §3, §8).
//
// Owns: folders (inbox, sentitems), the change feed and delta sync with opaque tamper-evident
// tokens (service.hpp, token.hpp), message summaries/bodies/attachments parsed from the stored MIME
// (content.hpp), opaque ids (ids.hpp), and the storage interface db implements
// (mailbox_store.hpp). Next: decrypt-on-fetch with rights (MessageView's smime/label sections).
// Failure semantics: resync_required, not_found, db_unavailable/db_error (service.hpp).
// Standards: RFC 5322 (headers, dates), RFC 2045-2047/2231 via mime, RFC 4648 §5 (base64url),
// RFC 2104/5869 (HMAC, HKDF); Microsoft Graph delta query semantics for messages.
#pragma once

#include "smimegw/mailbox/content.hpp"
#include "smimegw/mailbox/date.hpp"
#include "smimegw/mailbox/folder.hpp"
#include "smimegw/mailbox/ids.hpp"
#include "smimegw/mailbox/mailbox_store.hpp"
#include "smimegw/mailbox/message.hpp"
#include "smimegw/mailbox/service.hpp"
#include "smimegw/mailbox/token.hpp"
