#include "received.hpp"

#include <ctime>

#include "smimegw/core/time_format.hpp"

namespace smimegw::smtp::detail {
namespace {
/// Header text must not carry CR/LF or other controls from client-supplied HELO names.
std::string clean(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (out.size() >= 255) break;
    auto u = static_cast<unsigned char>(c);
    out += (u < 0x21 || u == 0x7f || c == '(' || c == ')') ? '_' : c;
  }
  return out.empty() ? "unknown" : out;
}
}  // namespace

std::string rfc5322_date(std::chrono::system_clock::time_point now) {
  return core::rfc5322_date(now);
}

std::string received_header(const TraceInfo& t, std::chrono::system_clock::time_point now) {
  std::string proto = t.smtputf8 ? "UTF8SMTP" : (t.esmtp ? "ESMTP" : "SMTP");
  if (t.esmtp || t.smtputf8) {
    if (t.tls) proto += "S";
    if (t.authenticated) proto += "A";
  }
  std::string h = "Received: from " + clean(t.helo) + " ([" + t.client_address + "])\r\n\tby " +
                  clean(t.hostname) + " (smimegw) with " + proto + " id " + t.id;
  if (t.tls && !t.tls_description.empty()) h += "\r\n\t(" + t.tls_description + ")";  // Botan text
  if (!t.single_recipient.empty()) h += "\r\n\tfor <" + t.single_recipient + ">";
  h += "; " + rfc5322_date(now) + "\r\n";
  return h;
}

}  // namespace smimegw::smtp::detail
