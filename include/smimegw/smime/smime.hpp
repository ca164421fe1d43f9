// smime — RFC 8551 (S/MIME 4.0) message operations over whole RFC 5322 messages.
//
// Owns: binding CMS (cms module) to MIME entities (mime module): clear-signing (multipart/signed
// only, micalg matching the digest), application/pkcs7-mime enveloped-data / authEnveloped-data,
// sign-then-encrypt, decrypting one layer, and inspecting every layer of a received message
// (clear-signed, opaque signed-data, enveloped, authEnveloped, legacy x-pkcs7-*, nested).
// Flow: mime::parse → split_outer (outer fields stay outside, Content-* go inside) → cms → build
// entity → wrap_outer. inspect(): parse → layer → (verify | decrypt) → inner entity → repeat.
// Chain trust is not decided here: InspectOptions::chain_check is the trust module's hook.
// Failure semantics: no exception leaves the module for bad input; expected failures are
// core::Error values (codes in smime/errors.hpp, cms/errors.hpp, mime/error_codes.hpp). In
// inspect() per-layer and per-signer failures are report data, not function errors. A micalg that
// disagrees with the SignerInfo digest is a warning. SHA-1 signatures fail with weak_algorithm
// unless InspectOptions::accept_sha1.
#pragma once

#include "smimegw/smime/decrypt.hpp"
#include "smimegw/smime/encrypt.hpp"
#include "smimegw/smime/errors.hpp"
#include "smimegw/smime/inspect.hpp"
#include "smimegw/smime/report.hpp"
#include "smimegw/smime/sign.hpp"
