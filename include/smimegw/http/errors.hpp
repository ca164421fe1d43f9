// http: the one error table of both APIs. Every error answer is built here, from a module error
// code to an HTTP status and the body {"error":{"code","message"}} (ARCHITECTURE §8).
//
// A row either shows the Error's own message (written by us, safe by core::Error's contract) or
// replaces it with a fixed text: storage and internal failures never reach the client with their
// details (no SQL, no paths, no key material); the original code goes to Response::log_detail and
// is logged with the request id. A code that has no row is an internal error (500).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "smimegw/core/error.hpp"
#include "smimegw/http/message.hpp"

namespace smimegw::http {

struct ErrorRow {
  std::string_view code;           ///< module error code (core::Error::code)
  int status;                      ///< HTTP status
  std::string_view public_code;    ///< code in the JSON body
  std::string_view fixed_message;  ///< empty: the Error's own message; else replaces it
};

/// The table, in lookup order (documented in docs/http.md).
const std::vector<ErrorRow>& error_table();

/// The row of `code`, or the internal_error row for an unknown code.
const ErrorRow& error_row(std::string_view code);

/// The answer for `e` (status, JSON body, log_detail).
Response error_from(const core::Error& e);

/// Shorthand: error_from(core::Error::make(code, message)).
Response problem(std::string code, std::string message);

}  // namespace smimegw::http
