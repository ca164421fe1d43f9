// http/sync: what the Graph-style sync API's handlers (/v1.0, src/http/sync/) need from the rest
// of the gateway, as one interface. app implements it (src/app/sync_services.cpp) over the token
// store, the mailbox, the policy store, the gateway key and the submission intake, so the http
// module never sees those modules. The service shapes Graph resources as JSON objects (field
// names as Microsoft Graph's message resource, plus smime / sensitivityLabel / rights); the
// handlers validate requests, build links and choose statuses.
//
// Every call is scoped to the caller `user` (the primary address the sync token belongs to):
// another user's message id is not_found, exactly like a missing one. Error codes (mapped by the
// one error table, errors.hpp): invalid_grant (token grant: wrong user or password, disabled user;
// never says which), resync_required (bad delta token → 410), not_found, content_expired (label
// content expiry passed → 403), change_not_allowed (settings the organisation locks → 403),
// smime_disabled (sign/encrypt requested while S/MIME is off → 403), policy_refused (sendMail:
// message lists "recipient: reason" per line → 422), send_as_denied (403), validation_failed,
// db_unavailable / transient codes (503), internal codes (500, details only logged).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "smimegw/core/result.hpp"

namespace smimegw::http::sync {

struct TokenGrant {
  std::string access_token;     ///< shown once; only its SHA-256 is stored
  std::int64_t expires_in = 0;  ///< seconds
};

struct DeltaResult {
  boost::json::array value;  ///< Graph messages (summary fields) and {"id","@removed"} entries
  std::string token;         ///< for @odata.nextLink when `more`, else @odata.deltaLink
  bool more = false;
};

struct AttachmentBytes {
  boost::json::object info;  ///< Graph fileAttachment without contentBytes
  std::string bytes;
};

/// What forward / reply / replyAll need of the message they answer.
enum class Answer { forward, reply, reply_all };

struct EmailAddress {
  std::string name;
  std::string address;
};

/// The message being answered, opened for its owner once the label's rights allowed `Answer`.
struct Original {
  std::string subject;
  std::string internet_message_id;  ///< "<id@host>" or ""
  std::string references;           ///< the original's References field ("" when absent)
  std::optional<EmailAddress> from;
  std::optional<EmailAddress> reply_to;  ///< Reply-To's first address, when present
  std::vector<EmailAddress> to;
  std::vector<EmailAddress> cc;
  std::string sent;      ///< the Date field as written
  std::string text;      ///< the body as text, for quoting
  std::string mime;      ///< the opened message (forward attaches it as message/rfc822)
  std::string label_id;  ///< the catalog label the answer keeps ("" none)
  std::vector<std::string> own_addresses;  ///< the caller's addresses (replyAll skips them)
};

/// A PKCS#12 delivered to a device (PBES2/AES-256, under the client's password).
struct Pkcs12Delivery {
  std::string pfx;
  std::vector<std::string> thumbprints;
};

/// POST /me/sendMail, after validation.
struct SendRequest {
  std::string mime;                ///< a complete MIME message (CRLF), From: set by the service
  std::vector<std::string> rcpts;  ///< envelope recipients (To, Cc, Bcc)
  std::string label_id;            ///< "" = none; a GUID
  std::optional<bool> sign;        ///< X-Smimegw-Sign
  std::optional<bool> encrypt;     ///< X-Smimegw-Encrypt
  bool save_to_sent = true;        ///< saveToSentItems
};

class Service {
 public:
  virtual ~Service() = default;

  // ---- tokens ----------------------------------------------------------------------------
  /// OAuth 2 password grant (RFC 6749 §4.3): a new sync token for `username` (any of the user's
  /// addresses). invalid_grant when the user is unknown, disabled, or the password is wrong (the
  /// same work is done in every case).
  virtual boost::asio::awaitable<core::Result<TokenGrant>> grant(std::string username,
                                                                 std::string password) = 0;
  /// Revokes the presented token (sign-out).
  virtual boost::asio::awaitable<core::Status> revoke(std::string user, std::string token) = 0;

  // ---- mail ------------------------------------------------------------------------------
  virtual boost::asio::awaitable<core::Result<DeltaResult>> delta(std::string user,
                                                                  std::string folder,
                                                                  std::optional<std::string> token,
                                                                  std::optional<int> page_size) = 0;
  /// The message; `headers` adds internetMessageHeaders; `text` prefers a text body.
  virtual boost::asio::awaitable<core::Result<boost::json::object>> message(std::string user,
                                                                            std::string id,
                                                                            bool headers,
                                                                            bool text) = 0;
  /// The MIME, unsealed for its owner (while S/MIME is on).
  virtual boost::asio::awaitable<core::Result<std::string>> mime(std::string user,
                                                                 std::string id) = 0;
  virtual boost::asio::awaitable<core::Result<boost::json::array>> attachments(std::string user,
                                                                               std::string id) = 0;
  virtual boost::asio::awaitable<core::Result<AttachmentBytes>> attachment(
      std::string user, std::string id, std::string attachment_id) = 0;

  // ---- settings --------------------------------------------------------------------------
  /// {smimeEnabled, signAll, encryptAll, signAllChangeAllowed, encryptAllChangeAllowed}.
  virtual boost::asio::awaitable<core::Result<boost::json::object>> settings(std::string user) = 0;
  /// Merges {smimeEnabled, signAll, encryptAll} (null resets to the default); returns settings().
  virtual boost::asio::awaitable<core::Result<boost::json::object>> patch_settings(
      std::string user, boost::json::object patch) = 0;

  // ---- sending ---------------------------------------------------------------------------
  /// Hands the message to the submission intake; returns only after it is committed.
  virtual boost::asio::awaitable<core::Status> send(std::string user, SendRequest request) = 0;

  // ---- certificates ----------------------------------------------------------------------
  virtual boost::asio::awaitable<core::Result<boost::json::array>> certificates(
      std::string user) = 0;
  /// Removes one of the user's own certificates, or else one installed contact certificate.
  virtual boost::asio::awaitable<core::Status> remove_certificate(std::string user,
                                                                  std::string id) = 0;
  /// Imports a PKCS#12 for the user through the directory's import service (address match,
  /// trust without force, wrong_password / mac_mismatch / unsupported_algorithm …); returns the
  /// installed certificates as certificates() shapes them.
  virtual boost::asio::awaitable<core::Result<boost::json::array>> import_pkcs12(
      std::string user, std::string pfx, std::string password) = 0;
  /// The same for attachment `attachment_id` of message `id`, which must be a PKCS#12
  /// (not_pkcs12) of a message the user sent to themselves (not_own_message).
  virtual boost::asio::awaitable<core::Result<boost::json::array>> install_attachment(
      std::string user, std::string id, std::string attachment_id, std::string password) = 0;
  /// Installs the signer's certificate of signed message `id` as a contact certificate (not_signed,
  /// invalid_certificate, untrusted_certificate; `trust` accepts an unknown CA when the
  /// administrator allows it, else user_trust_not_allowed). Returns the installed certificate.
  virtual boost::asio::awaitable<core::Result<boost::json::object>> install_sender(std::string user,
                                                                                   std::string id,
                                                                                   bool trust) = 0;

  // ---- answering (forward, reply, replyAll) ----------------------------------------------
  /// The message `id` opened for answering; rights_denied names the right the label withholds,
  /// smime_disabled when it is sealed and the user's S/MIME is off.
  virtual boost::asio::awaitable<core::Result<Original>> original(std::string user, std::string id,
                                                                  Answer answer) = 0;

  // ---- recipients ------------------------------------------------------------------------
  /// Per address: {address, type: user|group|external, certificate, reason[, memberCount,
  /// withCertificate, members]} through the gateway's recipient resolver.
  virtual boost::asio::awaitable<core::Result<boost::json::array>> resolve_recipients(
      std::string user, std::vector<std::string> addresses) = 0;

  // ---- devices ---------------------------------------------------------------------------
  virtual boost::asio::awaitable<core::Result<boost::json::array>> devices(std::string user) = 0;
  /// Enrols a device (db_duplicate → 409 when deviceId is enrolled already).
  virtual boost::asio::awaitable<core::Result<boost::json::object>> enrol_device(
      std::string user, std::string device_id, std::string name) = 0;
  /// The user's current keys as a PKCS#12 under `password` for device `id` (audit-logged).
  virtual boost::asio::awaitable<core::Result<Pkcs12Delivery>> deliver(std::string user,
                                                                       std::string id,
                                                                       std::string password) = 0;
  virtual boost::asio::awaitable<core::Status> remove_device(std::string user, std::string id) = 0;
};

}  // namespace smimegw::http::sync
