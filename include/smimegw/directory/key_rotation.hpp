// directory: the key vault against the database — the start-up check and KEK rotation
// (key_vault.hpp has the format and the error codes).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <filesystem>
#include <string>

#include "smimegw/directory/certificate_store.hpp"
#include "smimegw/directory/key_vault.hpp"

namespace smimegw::directory {

/// The start-up check (`serve`, and every command that needs keys): when the database holds
/// wrapped keys, keys.kek_file must load (kek_missing / kek_insecure / kek_invalid) and be the KEK
/// of every one of them (kek_mismatch, naming the ids found). When it holds none, a missing file
/// is fine (returns ""), but a file that exists must still be valid. Returns the KEK id.
boost::asio::awaitable<core::Result<std::string>> check_kek(CertificateStore& store,
                                                            std::filesystem::path kek_file);

/// Re-wraps every stored key from `old_vault` to `new_vault` in one transaction (all or nothing).
/// Keys already under `new_vault` are kept as they are, so a repeated rotation is harmless; a key
/// under any other KEK fails the whole rotation with kek_mismatch. Audit-logged as
/// "keys.rotate". Returns the number of keys now under the new KEK.
boost::asio::awaitable<core::Result<std::size_t>> rotate_kek(CertificateStore& store,
                                                             const KeyVault& old_vault,
                                                             const KeyVault& new_vault,
                                                             std::string actor);

}  // namespace smimegw::directory
