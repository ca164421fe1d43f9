// smtp: the ONE table from an error code to an SMTP reply (basic code, RFC 3463 enhanced code, safe
// text). Every refusal the server sends — its own limits and syntax errors as well as the errors a
// MessageSink returns — goes through reply_for(). A code the table does not know becomes 451 4.3.0
// when the error is temporary and 554 5.3.0 otherwise; its message is not shown to the client
// (it could name internals). For codes marked "shows message" the Error's message is the reply
// text (it must be safe: core::Error's contract), sanitised to one printable line.
//
// Codes (basic enhanced, text):
//   line_too_long            500 5.5.2  Line too long (RFC 5321 §4.5.3.1.4)
//   unknown_command          500 5.5.1  Command unrecognized
//   syntax_error             501 5.5.4  (message)
//   bad_sequence             503 5.5.1  (message)
//   not_implemented          502 5.5.1  Command not implemented
//   unknown_parameter        555 5.5.4  (message)
//   non_ascii_address        553 5.6.7  Non-ASCII address requires SMTPUTF8
//   message_too_big          552 5.3.4  Message size exceeds fixed maximum message size
//   too_many_recipients      452 4.5.3  Too many recipients (RFC 5321 §4.5.3.1.10)
//   no_valid_recipients      554 5.5.1  No valid recipients
//   too_many_errors          421 4.7.0  Too many errors, closing connection
//   too_many_connections     421 4.7.0  Too many connections, try again later
//   too_many_connections_from_address 421 4.7.0  Too many connections from your address
//   command_timeout          421 4.4.2  Timeout exceeded, closing connection
//   shutting_down            421 4.3.2  Service shutting down
//   starttls_pipelined       554 5.5.1  Pipelined data after STARTTLS refused
//   tls_not_available        454 4.7.0  TLS not available
//   auth_required            530 5.7.0  Authentication required
//   encryption_required      538 5.7.11 Encryption required for requested authentication mechanism
//   auth_failed              535 5.7.8  Authentication credentials invalid
//   auth_unavailable         454 4.7.0  Temporary authentication failure
//   auth_mechanism           504 5.5.4  Unrecognized authentication type
//   auth_canceled            501 5.0.0  Authentication canceled
//   auth_line_too_long       500 5.5.6  Authentication exchange line is too long (RFC 4954)
//   unknown_user             550 5.1.1  (message)  — sinks: no such recipient
//   relay_denied             554 5.7.1  (message)  — sinks: relaying denied
//   sender_not_allowed       553 5.7.1  (message)  — sinks: sender not owned by the AUTH identity
//   policy_refused           550 5.7.1  (message)  — sinks: policy decision (ARCHITECTURE §2.6)
//   mailbox_unavailable      450 4.2.0  (message)  — sinks: temporary recipient problem
//   storage_unavailable      451 4.3.0  Temporary local problem, try again later
#pragma once

#include <string>
#include <string_view>

#include "smimegw/core/error.hpp"

namespace smimegw::smtp {

struct Reply {
  int code = 250;
  std::string enhanced;  ///< "2.0.0"; empty when not applicable (greeting, EHLO)
  std::string text;

  bool positive() const { return code < 400; }
  bool temporary() const { return code >= 400 && code < 500; }
  bool permanent() const { return code >= 500; }
  /// Wire form, one or more lines ("250-..." continuation), each ending in CRLF. Newlines in
  /// `text` separate the lines.
  std::string wire() const;
};

/// The reply for an error (see the table above).
Reply reply_for(const core::Error& error);
/// The same for a code with no Error object at hand.
Reply reply_for(std::string_view code);

}  // namespace smimegw::smtp
