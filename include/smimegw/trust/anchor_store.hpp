// trust: storage interface of the virtual certificate collection (table trust_anchors). Declared
// here, implemented by the db module (src/db/anchor_store.cpp); app wires the two. Like every
// *_store.hpp it includes only core and std, so db can implement it without linking trust.
//
// Calls are blocking (they run on the caller's thread with a pooled connection) and may fail with
// the db module's codes: db_unavailable (transient), db_duplicate, db_error.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "smimegw/core/result.hpp"

namespace smimegw::trust {

struct StoredAnchor {
  std::int64_t id = 0;
  std::vector<std::uint8_t> der;  ///< the certificate, DER
  std::string sha256;             ///< hex thumbprint of der (unique)
  std::string subject;            ///< RFC 4514-style, for listings
  std::string issuer;
  bool is_root = false;  ///< self-signed CA; false = intermediate
  bool enabled = true;
  std::chrono::system_clock::time_point not_after;
  std::string added_by;
  std::chrono::system_clock::time_point added_at;
};

class AnchorStore {
 public:
  virtual ~AnchorStore() = default;
  /// Adds a certificate; `db_duplicate` when the same thumbprint is already present.
  virtual core::Result<std::int64_t> add(const StoredAnchor& anchor) = 0;
  virtual core::Result<std::vector<StoredAnchor>> list(bool enabled_only) = 0;
  virtual core::Result<std::optional<StoredAnchor>> find(std::int64_t id) = 0;
  /// Enables or disables; `not_found` when there is no such id.
  virtual core::Status set_enabled(std::int64_t id, bool enabled) = 0;
  virtual core::Status remove(std::int64_t id) = 0;
  /// Increases on every change, so validation caches know when to drop their results.
  virtual core::Result<std::int64_t> generation() = 0;
};

}  // namespace smimegw::trust
