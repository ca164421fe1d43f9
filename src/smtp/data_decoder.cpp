// smtp: DATA stream decoding (see data_decoder.hpp for the decisions).
#include "smimegw/smtp/data_decoder.hpp"

#include <cstring>

namespace smimegw::smtp {

void DataDecoder::append(std::string_view s) {
  stored_ += s.size();
  if (stored_ > max_bytes_) {
    if (!too_big_) {
      too_big_ = true;
      std::string().swap(message_);
    }
    return;
  }
  message_.append(s);
}

void DataDecoder::append_normalised(std::string_view s) {
  // Bare CR inside a line becomes CRLF (the caller strips a CR that precedes LF).
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\r') continue;
    bare_newline_ = true;
    append(s.substr(start, i - start));
    append("\r\n");
    start = i + 1;
  }
  append(s.substr(start));
}

void DataDecoder::finish_line(bool had_lf) {
  (void)had_lf;
  std::string_view raw = line_;
  bool had_cr = !raw.empty() && raw.back() == '\r';
  if (had_cr) raw.remove_suffix(1);
  if (!line_overflow_ && prev_crlf_ && had_cr && raw == ".") {
    done_ = true;
    return;
  }
  if (!had_cr) bare_newline_ = true;
  if (!line_overflow_ && raw.size() > 1 && raw.front() == '.') raw.remove_prefix(1);
  append_normalised(raw);
  append("\r\n");
  prev_crlf_ = had_cr;
  line_.clear();
  line_overflow_ = false;
}

std::size_t DataDecoder::feed(std::string_view in) {
  std::size_t pos = 0;
  while (pos < in.size() && !done_) {
    const char* p = static_cast<const char*>(std::memchr(in.data() + pos, '\n', in.size() - pos));
    std::size_t end = p ? static_cast<std::size_t>(p - in.data()) : in.size();
    std::string_view seg = in.substr(pos, end - pos);
    line_.append(seg);
    if (line_.size() + 1 > max_line_) {
      // Over the limit: store the head now (keeping a trailing CR for the CRLF check) so memory
      // stays bounded; such a line can never be the end marker.
      line_too_long_ = true;
      std::string_view head = line_;
      bool keep_cr = !head.empty() && head.back() == '\r';
      if (keep_cr) head.remove_suffix(1);
      if (!line_overflow_ && head.size() > 1 && head.front() == '.') head.remove_prefix(1);
      append_normalised(head);
      line_ = keep_cr ? "\r" : "";
      line_overflow_ = true;
    }
    if (p) {
      wire_bytes_ += end - pos + 1;
      pos = end + 1;
      finish_line(true);
    } else {
      wire_bytes_ += end - pos;
      pos = end;
    }
  }
  return pos;
}

}  // namespace smimegw::smtp
