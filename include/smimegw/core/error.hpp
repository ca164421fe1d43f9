// core: the error value every module returns for expected failures (STYLE.md rule 2).
//
// An Error carries a stable machine code (snake_case, e.g. "weak_algorithm", "revocation_unknown")
// that the one SMTP reply map and the one HTTP error table translate, a human message that is safe
// to show (never SQL, paths of secrets or key material), and whether retrying may succeed.
#pragma once

#include <string>
#include <utility>

namespace smimegw::core {

struct Error {
  std::string code;     ///< stable, snake_case; the contract other modules and clients match on
  std::string message;  ///< safe for logs and replies
  bool temporary = false;

  static Error make(std::string code, std::string message) {
    return Error{std::move(code), std::move(message), false};
  }
  static Error transient(std::string code, std::string message) {
    return Error{std::move(code), std::move(message), true};
  }
  friend bool operator==(const Error&, const Error&) = default;
};

}  // namespace smimegw::core
