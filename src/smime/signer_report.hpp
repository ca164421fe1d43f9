// smime (private): cms::SignerResult → SignerReport (names, serial, time, addresses).
#pragma once

#include "smimegw/cms/signed_data.hpp"
#include "smimegw/smime/report.hpp"

namespace smimegw::smime {

SignerReport make_signer_report(const cms::SignerResult& r);
/// Adds `e` to the signer; the status becomes e.code when it was "ok".
void add_signer_error(SignerReport& s, core::Error e);

}  // namespace smimegw::smime
