// smime (private): the signing steps shared by sign() and sign_and_encrypt().
#pragma once

#include <string>
#include <string_view>

#include "smimegw/cms/signing_context.hpp"
#include "smimegw/mime/outer_split.hpp"
#include "smimegw/smime/sign.hpp"

namespace smimegw::smime::detail {

/// multipart/signed around `entity`, which must already be 7-bit and canonical CRLF.
core::Result<std::string> sign_7bit_entity(std::string_view entity,
                                           const cms::SigningContext& signer,
                                           const SignOptions& options);
/// Parses `message`, makes every leaf 7-bit safe (only when needed: no copy otherwise) and splits
/// the outer fields from the content entity.
core::Result<mime::SplitMessage> split_7bit(std::string_view message);

}  // namespace smimegw::smime::detail
