// core: the SMTP envelope of one message (RFC 5321 MAIL/RCPT and their ESMTP parameters).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace smimegw::core {

enum class BodyType { SevenBit, EightBitMime, BinaryMime };
enum class DsnRet { Unset, Full, Headers };

struct Recipient {
  std::string address;  ///< as given in RCPT TO, without brackets
  unsigned notify =
      0;              ///< bit set of DSN NOTIFY (RFC 3461): 1 success, 2 failure, 4 delay, 8 never
  std::string orcpt;  ///< ORCPT "addr-type;address", address xtext-decoded; empty if absent
};

struct Envelope {
  std::string mail_from;  ///< empty for the null reverse-path "<>"
  std::vector<Recipient> recipients;
  BodyType body = BodyType::SevenBit;
  bool smtputf8 = false;
  DsnRet ret = DsnRet::Unset;
  std::string envid;
  std::optional<std::string> authenticated_user;  ///< set on submission after AUTH
  std::string client_address;                     ///< peer IP, for trace headers and limits
  std::string helo;
  std::uint64_t declared_size = 0;  ///< MAIL SIZE= (RFC 1870), 0 when not given
  bool tls = false;                 ///< received over TLS (STARTTLS)
  std::string session_id;           ///< SMTP session id, for log correlation (`sid=`)
};

}  // namespace smimegw::core
