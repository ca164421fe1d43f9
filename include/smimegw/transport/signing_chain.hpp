// transport: the certificates a signature carries besides the signer's (the S/MIME setting
// includeChain: none | withoutRoot | withRoot). The issuers come from the virtual certificate
// collection (trust anchors: roots and intermediates), nearest first, found by issuer name and
// key identifier and checked by signature, so a recipient can build the path without AIA.
#pragma once

#include <botan/x509cert.h>

#include <functional>
#include <string_view>
#include <vector>

#include "smimegw/core/result.hpp"

namespace smimegw::transport {

/// The issuers of a certificate, nearest first, ending with a self-signed root when one is known.
/// Errors are temporary (the collection could not be read).
using ChainLookup = std::function<core::Result<std::vector<Botan::X509_Certificate>>(
    const Botan::X509_Certificate&)>;

/// The issuers of `leaf` found in `pool`, nearest first (at most 8), ending at the first
/// self-signed certificate; stops where no issuer is found.
std::vector<Botan::X509_Certificate> issuers_from(const Botan::X509_Certificate& leaf,
                                                  const std::vector<Botan::X509_Certificate>& pool);

/// `issuers` as the setting `include_chain` wants them: none → {}, withoutRoot → without the
/// self-signed ones, withRoot → all. An unknown value counts as withoutRoot.
std::vector<Botan::X509_Certificate> carried_chain(std::vector<Botan::X509_Certificate> issuers,
                                                   std::string_view include_chain);

}  // namespace smimegw::transport
