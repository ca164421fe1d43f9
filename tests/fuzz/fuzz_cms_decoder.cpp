// libFuzzer target: cms_decoder (see fuzz_bodies.hpp; run with scripts/fuzz.sh cms_decoder
// SECONDS).
#include "fuzz_bodies.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  smimegw::fuzz::cms_decoder(data, size);
  return 0;
}
