// Replays every input under tests/fuzz/regressions/TARGET/ through the same body the libFuzzer
// target runs (tests/fuzz/fuzz_bodies.hpp): inputs that once crashed must now pass quietly.
#include <catch2/catch.hpp>
#include <filesystem>

#include "../../fuzz/fuzz_bodies.hpp"
#include "smime_test_util.hpp"
#include "test_env.hpp"

namespace {

std::size_t replay(const std::string& target, void (*body)(const std::uint8_t*, std::size_t)) {
  const auto dir = smimegw::test::source_dir() / "tests" / "fuzz" / "regressions" / target;
  std::size_t n = 0;
  if (!std::filesystem::is_directory(dir)) return 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (!e.is_regular_file() || e.path().filename() == ".gitkeep") continue;
    const std::string data = smimegw::test::slurp(e.path());
    INFO(e.path().string());
    body(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
    ++n;
  }
  return n;
}

}  // namespace

TEST_CASE("fuzz regressions replay without crashing") {
  std::size_t n = replay("cms_decoder", smimegw::fuzz::cms_decoder) +
                  replay("pkcs12", smimegw::fuzz::pkcs12) +
                  replay("mime_parser", smimegw::fuzz::mime_parser) +
                  replay("smime_inspect", smimegw::fuzz::smime_inspect);
  // Smoke inputs so the bodies themselves stay exercised even with no regressions on file.
  const std::string smoke =
      "Content-Type: application/pkcs7-mime; smime-type=enveloped-data\r\n"
      "Content-Transfer-Encoding: base64\r\n\r\nMIAGCSqGSIb3DQEHA6CAMIACAQA=\r\n";
  const auto* p = reinterpret_cast<const std::uint8_t*>(smoke.data());
  smimegw::fuzz::mime_parser(p, smoke.size());
  smimegw::fuzz::smime_inspect(p, smoke.size());
  smimegw::fuzz::cms_decoder(p + 100, smoke.size() - 100);
  smimegw::fuzz::pkcs12(p, smoke.size());
  SUCCEED(std::to_string(n) + " regression inputs replayed");
}
