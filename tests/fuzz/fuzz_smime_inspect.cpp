// libFuzzer target: smime_inspect (see fuzz_bodies.hpp; run with scripts/fuzz.sh smime_inspect
// SECONDS).
#include "fuzz_bodies.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  smimegw::fuzz::smime_inspect(data, size);
  return 0;
}
