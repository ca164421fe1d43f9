// libFuzzer target: pkcs12 (see fuzz_bodies.hpp; run with scripts/fuzz.sh pkcs12 SECONDS).
#include "fuzz_bodies.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  smimegw::fuzz::pkcs12(data, size);
  return 0;
}
