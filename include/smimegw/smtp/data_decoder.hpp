// smtp: decoding the DATA stream (RFC 5321 §4.1.1.4, §4.5.2) — plain code without Asio.
//
// Input is the raw bytes after the 354 reply; output is the message with CRLF line endings,
// dot-unstuffed. Decisions:
//  * The end of data is recognised ONLY as CRLF "." CRLF on the wire (the CRLF of the DATA command
//    counts as the first one). "\n.\n", "\n.\r\n", "\r\n.\n" and "\r.\r" are not ends (SMTP
//    smuggling); such a lone "." line is kept as content (a relay re-stuffs it to "..").
//  * Bare LF and bare CR are accepted and normalised to CRLF in the stored message (bare_newline()
//    tells that it happened, for logs).
//  * A line longer than max_line bytes including its CRLF (RFC 5321 §4.5.3.1.6: 1000) marks the
//    message line_too_long; a message over max_bytes (after normalisation) marks it too_big. In
//    both cases decoding continues to the final dot without storing more, so the session can answer
//    after the end (552 5.3.4 / 500 5.5.2) and stay in sync with the client.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace smimegw::smtp {

class DataDecoder {
 public:
  DataDecoder(std::uint64_t max_bytes, std::size_t max_line)
      : max_bytes_(max_bytes), max_line_(max_line) {}

  /// Consumes bytes up to and including the end marker; returns how many were consumed (less than
  /// in.size() only when the end was found: the rest is the next pipelined command).
  std::size_t feed(std::string_view in);

  bool done() const { return done_; }
  /// Final once done(): until then the unfinished over-long line may be only partly counted.
  bool too_big() const { return too_big_; }
  bool line_too_long() const { return line_too_long_; }
  /// Final once done(), like too_big().
  bool bare_newline() const { return bare_newline_; }
  std::uint64_t wire_bytes() const { return wire_bytes_; }
  /// The decoded message (valid once done(); empty when too_big()).
  std::string& message() { return message_; }

 private:
  void finish_line(bool had_lf);
  void append(std::string_view s);
  void append_normalised(std::string_view s);

  std::uint64_t max_bytes_;
  std::size_t max_line_;
  std::string message_;
  std::string line_;            // current raw line without LF (bounded by max_line_)
  bool line_overflow_ = false;  // current line exceeded max_line_ (its head is already stored)
  bool prev_crlf_ = true;       // the previous line ended with a real CRLF
  bool done_ = false;
  bool too_big_ = false;
  bool line_too_long_ = false;
  bool bare_newline_ = false;
  std::uint64_t wire_bytes_ = 0;
  std::uint64_t stored_ = 0;
};

}  // namespace smimegw::smtp
