// cms (private): the SignedData assembly shared by the one-shot cms::sign() and the
// SigningContext API.
#pragma once

#include <span>

#include "smimegw/cms/signing_context.hpp"

namespace smimegw::cms::detail {

/// DER ContentInfo(SignedData) with one SignerInfo per context (none null, at least one).
core::Result<std::vector<std::uint8_t>> sign_prepared(
    std::span<const std::uint8_t> content, std::span<const SigningContext* const> signers,
    const SignOptions& options);

}  // namespace smimegw::cms::detail
