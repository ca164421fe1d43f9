// libFuzzer target: mime_parser (see fuzz_bodies.hpp; run with scripts/fuzz.sh mime_parser
// SECONDS).
#include "fuzz_bodies.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  smimegw::fuzz::mime_parser(data, size);
  return 0;
}
