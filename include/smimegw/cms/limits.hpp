// cms: resource limits every decoder enforces (ARCHITECTURE.md invariant 5).
#pragma once

#include <cstddef>

namespace smimegw::cms {

struct Limits {
  std::size_t max_input_bytes = 64u * 1024 * 1024;  ///< whole encoded message
  std::size_t max_depth = 40;                       ///< ASN.1 nesting depth
  std::size_t max_elements = 500000;                ///< TLVs in the whole message
  std::size_t max_signers = 64;
  std::size_t max_recipients = 1024;
  std::size_t max_certificates = 512;
  std::size_t max_attributes = 256;  ///< per attribute set
};

}  // namespace smimegw::cms
