// smime: verify/inspect — walks every S/MIME layer of a message.
#pragma once

#include <botan/rng.h>
#include <botan/x509cert.h>

#include <functional>
#include <string_view>
#include <vector>

#include "smimegw/cms/enveloped_data.hpp"
#include "smimegw/cms/limits.hpp"
#include "smimegw/core/result.hpp"
#include "smimegw/mime/limits.hpp"
#include "smimegw/smime/report.hpp"

namespace smimegw::smime {

/// Chain trust hook (the trust module implements it): given the signer certificate and every
/// certificate the message carried, returns the failures (empty = trusted). Each error is added
/// to that signer and makes it invalid.
using ChainCheck = std::function<std::vector<core::Error>(
    const Botan::X509_Certificate& signer, const std::vector<Botan::X509_Certificate>& carried)>;

struct InspectOptions {
  std::vector<cms::DecryptKey> keys;  ///< tried on every encrypted layer; none → not_decrypted
  bool accept_sha1 = false;           ///< otherwise SHA-1 signers fail with weak_algorithm
  ChainCheck chain_check;             ///< empty: signature math only
  /// Compare the outermost signature layer's signers with the message's From: address
  /// (address_mismatch on a signer whose certificate carries none of the From addresses).
  bool check_from_address = true;
  std::size_t max_layers = 8;
  mime::Limits mime_limits;
  cms::Limits cms_limits;
};

/// Walks the layers from the outside in: multipart/signed (hashes the first part exactly as
/// received, canonical CRLF), application/(x-)pkcs7-mime signed-data / enveloped-data /
/// authEnveloped-data (and octet-stream *.p7m), decrypting with `options.keys` when possible,
/// until a non-S/MIME entity or a layer that cannot be opened. Per-layer and per-signer failures
/// are in the Report; the function fails only when the message itself cannot be parsed
/// (mime limit codes).
core::Result<Report> inspect(std::string_view message, const InspectOptions& options,
                             Botan::RandomNumberGenerator& rng);

}  // namespace smimegw::smime
