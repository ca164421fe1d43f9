#include <botan/system_rng.h>

#include <chrono>

#include "smimegw/transport/intake.hpp"

namespace smimegw::transport {

std::string new_queue_id() {
  static const char* alphabet = "0123456789ABCDEFGHJKLMNPQRSTVWXYZ";  // 32, no I/O/U
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count();
  std::string id(16, '0');
  for (int i = 8; i >= 0; --i) {  // 9 chars of milliseconds: sortable for ~1100 years
    id[static_cast<size_t>(i)] = alphabet[ms & 31];
    ms >>= 5;
  }
  std::uint8_t rnd[7];
  Botan::system_rng().randomize(rnd, sizeof rnd);
  for (int i = 0; i < 7; ++i) id[static_cast<size_t>(9 + i)] = alphabet[rnd[i] & 31];
  return id;
}

}  // namespace smimegw::transport
