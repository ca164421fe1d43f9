// cms (private): helpers shared by SignedData and EnvelopedData: identifiers of certificates
// (IssuerAndSerialNumber / SubjectKeyIdentifier), error shorthands, hashing, time parsing.
#pragma once

#include <botan/x509cert.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ber.hpp"
#include "der.hpp"
#include "smimegw/cms/algorithms.hpp"
#include "smimegw/cms/errors.hpp"
#include "smimegw/cms/signed_data.hpp"

namespace smimegw::cms::detail {

inline core::Error err(std::string_view code, std::string msg) {
  return ber::error(code, std::move(msg));
}

/// IssuerAndSerialNumber ::= SEQUENCE { issuer Name, serialNumber INTEGER }
der::Node issuer_and_serial(const Botan::X509_Certificate& cert);
/// SignerIdentifier / RecipientIdentifier: issuer+serial, or [0] IMPLICIT SKI. Fails without SKI.
core::Result<der::Node> identifier(const Botan::X509_Certificate& cert, SignerIdKind kind);
/// Parses IssuerAndSerialNumber (SEQUENCE) or a [0] IMPLICIT SubjectKeyIdentifier.
core::Result<SignerId> parse_identifier(const ber::Tlv& t);

core::Result<std::chrono::system_clock::time_point> parse_time(const ber::Tlv& t);

/// Runs f and converts any exception into an Error with `code`.
template <class F>
auto guarded(std::string_view code, std::string_view what, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::exception& e) {
    return err(code, std::string(what) + ": " + e.what());
  }
}

}  // namespace smimegw::cms::detail
