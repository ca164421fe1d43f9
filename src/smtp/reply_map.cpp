// smtp: the one error → reply table (see reply_map.hpp for the contract and the list).
#include "smimegw/smtp/reply_map.hpp"

#include <array>

namespace smimegw::smtp {
namespace {

struct Entry {
  std::string_view code;
  int basic;
  std::string_view enhanced;
  std::string_view text;
  bool shows_message;
};

constexpr std::array<Entry, 37> kTable{{
    // transport intake (src/transport/intake.cpp)
    {"send_as_denied", 553, "5.7.1", "Sender address not owned by the authenticated user", true},
    {"bad_address", 501, "5.1.3", "Bad recipient address syntax", true},
    {"malformed_message", 554, "5.6.0", "Message content cannot be parsed", true},
    {"queue_unavailable", 451, "4.3.0", "Temporary local problem, try again later", false},
    {"db_unavailable", 451, "4.3.0", "Temporary local problem, try again later", false},
    {"no_recipients", 554, "5.5.1", "No valid recipients", false},
    {"line_too_long", 500, "5.5.2", "Line too long", false},
    {"unknown_command", 500, "5.5.1", "Command unrecognized", false},
    {"syntax_error", 501, "5.5.4", "Syntax error in parameters or arguments", true},
    {"bad_sequence", 503, "5.5.1", "Bad sequence of commands", true},
    {"not_implemented", 502, "5.5.1", "Command not implemented", false},
    {"unknown_parameter", 555, "5.5.4", "Parameter not recognized", true},
    {"non_ascii_address", 553, "5.6.7", "Non-ASCII address requires SMTPUTF8", false},
    {"message_too_big", 552, "5.3.4", "Message size exceeds fixed maximum message size", false},
    {"too_many_recipients", 452, "4.5.3", "Too many recipients", false},
    {"no_valid_recipients", 554, "5.5.1", "No valid recipients", false},
    {"too_many_errors", 421, "4.7.0", "Too many errors, closing connection", false},
    {"too_many_connections", 421, "4.7.0", "Too many connections, try again later", false},
    {"too_many_connections_from_address", 421, "4.7.0",
     "Too many connections from your address, try again later", false},
    {"command_timeout", 421, "4.4.2", "Timeout exceeded, closing connection", false},
    {"shutting_down", 421, "4.3.2", "Service shutting down, try again later", false},
    {"starttls_pipelined", 554, "5.5.1", "Pipelined data after STARTTLS refused", false},
    {"tls_not_available", 454, "4.7.0", "TLS not available", false},
    {"auth_required", 530, "5.7.0", "Authentication required", false},
    {"encryption_required", 538, "5.7.11",
     "Encryption required for requested authentication mechanism", false},
    {"auth_failed", 535, "5.7.8", "Authentication credentials invalid", false},
    {"auth_unavailable", 454, "4.7.0", "Temporary authentication failure", false},
    {"auth_mechanism", 504, "5.5.4", "Unrecognized authentication type", false},
    {"auth_canceled", 501, "5.0.0", "Authentication canceled", false},
    {"auth_line_too_long", 500, "5.5.6", "Authentication exchange line is too long", false},
    {"unknown_user", 550, "5.1.1", "No such user here", true},
    {"relay_denied", 554, "5.7.1", "Relay access denied", true},
    {"sender_not_allowed", 553, "5.7.1", "Sender address not allowed", true},
    {"policy_refused", 550, "5.7.1", "Message refused by policy", true},
    {"gateway_key_unavailable", 451, "4.7.0", "Protection temporarily unavailable, try again later",
     false},
    {"mailbox_unavailable", 450, "4.2.0", "Mailbox temporarily unavailable", true},
    {"storage_unavailable", 451, "4.3.0", "Temporary local problem, try again later", false},
}};

const Entry* find(std::string_view code) {
  for (const auto& e : kTable)
    if (e.code == code) return &e;
  return nullptr;
}

/// One printable line, at most 200 bytes (a reply must never carry CR/LF from an error text).
std::string sanitise(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (out.size() >= 200) break;
    auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7f) ? ' ' : c;
  }
  return out;
}

// A refusal naming several recipients (policy_refused: one "address: code: reason" per line) keeps
// its lines: each sanitised, at most 30 of them (then a summary line).
std::string sanitise_lines(std::string_view s) {
  std::string out;
  std::size_t lines = 0, total = 1;
  for (char c : s) total += c == '\n';
  while (!s.empty()) {
    auto nl = s.find('\n');
    auto line = sanitise(s.substr(0, nl));
    s = nl == std::string_view::npos ? std::string_view() : s.substr(nl + 1);
    if (line.empty()) continue;
    if (lines == 30) {
      out += "\n... and " + std::to_string(total - lines) + " more";
      break;
    }
    out += (lines ? "\n" : "") + line;
    ++lines;
  }
  return out;
}

}  // namespace

std::string Reply::wire() const {
  std::string out;
  std::string_view rest = text;
  const std::string prefix = std::to_string(code);
  do {
    auto nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    out += prefix;
    out += nl == std::string_view::npos ? ' ' : '-';
    if (!enhanced.empty()) {
      out += enhanced;
      out += ' ';
    }
    out += line;
    out += "\r\n";
  } while (!rest.empty());
  return out;
}

Reply reply_for(const core::Error& error) {
  if (const Entry* e = find(error.code)) {
    Reply r{e->basic, std::string(e->enhanced), std::string(e->text)};
    if (e->shows_message && !error.message.empty())
      r.text =
          error.code == "policy_refused" ? sanitise_lines(error.message) : sanitise(error.message);
    return r;
  }
  if (error.temporary) return {451, "4.3.0", "Temporary local problem, try again later"};
  return {554, "5.3.0", "Message refused"};
}

Reply reply_for(std::string_view code) {
  return reply_for(core::Error::make(std::string(code), ""));
}

}  // namespace smimegw::smtp
