// smtp: the command table and the parsers for command lines and MAIL/RCPT parameters. Plain code
// without Asio, so it compiles fast and can be fuzzed.
//
// Standards: RFC 5321 (commands, paths), RFC 1870 (SIZE), RFC 6152 (8BITMIME), RFC 6531
// (SMTPUTF8), RFC 3461 (DSN: RET, ENVID, NOTIFY, ORCPT), RFC 4954 (AUTH= on MAIL, accepted and
// ignored). Failures are core::Error values whose codes the reply map knows: syntax_error (501
// 5.5.4), unknown_parameter (555 5.5.4), non_ascii_address (553 5.6.7), message_too_big
// (552 5.3.4).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "smimegw/core/envelope.hpp"
#include "smimegw/core/result.hpp"

namespace smimegw::smtp {

enum class Verb {
  Helo,
  Ehlo,
  Mail,
  Rcpt,
  Data,
  Rset,
  Noop,
  Quit,
  Help,
  Vrfy,
  Expn,
  StartTls,
  Auth,
  Unknown
};

struct Command {
  Verb verb = Verb::Unknown;
  std::string name;  ///< the verb as sent, upper-cased (for logs; unknown verbs capped at 16 chars)
  std::string arg;   ///< the rest of the line after the separating space(s)
};

/// Splits one command line (without CRLF) into verb and argument. Never fails: unknown verbs give
/// Verb::Unknown.
Command parse_command(std::string_view line);

struct MailFrom {
  std::string address;     ///< empty for "<>"
  std::uint64_t size = 0;  ///< SIZE= (0 when absent)
  core::BodyType body = core::BodyType::SevenBit;
  bool smtputf8 = false;
  core::DsnRet ret = core::DsnRet::Unset;
  std::string envid;  ///< xtext-decoded
};

struct RcptTo {
  core::Recipient recipient;
};

/// Parses the argument of MAIL ("FROM:<a@b> SIZE=10 BODY=8BITMIME ...").
core::Result<MailFrom> parse_mail_from(std::string_view arg);
/// Parses the argument of RCPT ("TO:<a@b> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;a@b").
/// `smtputf8` tells whether the transaction declared SMTPUTF8 (non-ASCII addresses allowed).
core::Result<RcptTo> parse_rcpt_to(std::string_view arg, bool smtputf8);

/// RFC 3461 §4 xtext decoding ("+2B" -> "+"); nullopt-like failure as syntax_error.
core::Result<std::string> xtext_decode(std::string_view in);
/// xtext encoding for sending ENVID/ORCPT on.
std::string xtext_encode(std::string_view in);

}  // namespace smimegw::smtp
