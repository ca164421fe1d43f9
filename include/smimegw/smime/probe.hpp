// smime: a cheap look at a message's top-level entity, before any key is fetched.
#pragma once

#include <string_view>

#include "smimegw/mime/limits.hpp"

namespace smimegw::smime {

/// True when the top-level entity is an enveloped-data or authEnveloped-data layer
/// (application/pkcs7-mime, the legacy x-pkcs7-mime, or an octet-stream named *.p7m). The
/// smime-type parameter decides when present; otherwise the CMS content type is read. A message
/// that does not parse, or a pkcs7 body that does not decode, is not enveloped.
bool is_enveloped(std::string_view message, const mime::Limits& limits = {});

}  // namespace smimegw::smime
