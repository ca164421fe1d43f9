// http: JSON request bodies and answers (Boost.JSON), query parameters and pagination.
//
// Limits: a body is parsed with a nesting limit of 32 and within the listener's body limit (the
// server refuses larger bodies before this runs). Failures are Errors of the error table:
//   invalid_json       not JSON; the message gives the line, column and byte offset of the fault
//   validation_failed  JSON, but a field is missing, of the wrong type or out of range; the
//                      message starts with the field's name ("top: must be an integer 1..500")
// Pagination (every list route): ?top=N (1..500, default 100) & skip=M (0..1000000, default 0);
// the answer is {"value":[...], "nextLink":"<path>?top=N&skip=M+N"} with nextLink only when more
// items follow.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "smimegw/core/result.hpp"
#include "smimegw/http/message.hpp"

namespace smimegw::http {

/// Parses a JSON text; see the header comment for the error codes.
core::Result<boost::json::value> parse_json(std::string_view text);

/// The body as a JSON object (invalid_json, or validation_failed "body: must be a JSON object").
core::Result<boost::json::object> parse_json_object(std::string_view text);

/// Serialises `v` with the status.
Response json_value_response(int status, const boost::json::value& v);

/// %XX decoding ('+' as space when `plus_as_space`); malformed escapes stay as they are.
std::string percent_decode(std::string_view s, bool plus_as_space);

/// Decoded query parameters (percent-decoding, '+' as space); the last of repeated names wins.
std::map<std::string, std::string> parse_query(std::string_view query);

struct Page {
  int top = 100;
  int skip = 0;
};
constexpr int kMaxTop = 500;
constexpr int kMaxSkip = 1000000;

/// ?top= and ?skip= of `req` (validation_failed naming the parameter).
core::Result<Page> parse_page(const Request& req);

/// {"value": items, "nextLink": ...}: `items` may hold one element more than page.top, which
/// only signals that a next page exists (it is dropped). `extra_query` is kept in nextLink.
Response page_response(boost::json::array items, const Page& page, const Request& req);

/// Field accessors for validation: absent → nullopt (or validation_failed "NAME: required" when
/// `required`); wrong type → validation_failed "NAME: must be a string" etc.
core::Result<std::optional<std::string>> string_field(const boost::json::object& o,
                                                      std::string_view name, bool required,
                                                      std::size_t max_len = 1024);
core::Result<std::optional<bool>> bool_field(const boost::json::object& o, std::string_view name);

/// Parses a decimal id path parameter (validation_failed "NAME: must be a positive integer").
core::Result<std::int64_t> id_param(const Request& req, const std::string& name);

/// A path parameter that names a user or group by id or by address: the id when `text` is 1..18
/// decimal digits, nullopt otherwise (then it is read as an address).
std::optional<std::int64_t> numeric_id(std::string_view text);

}  // namespace smimegw::http
