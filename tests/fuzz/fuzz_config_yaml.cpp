// libFuzzer target: config_yaml (scripts/fuzz.sh config_yaml SECONDS) — the configuration loader
// from a string (load_config_text), every settings row's conversion and the cross-field checks.
// An input line "---env" splits the YAML from environment overrides ("KEY=VALUE" lines, KEY
// prefixed with SMIMEGW_). Checked: a Config comes only with no error; when one comes and nothing
// is redacted, the effective configuration (`check-config` output) loads back to the same values.
// Inputs naming device or proc files are skipped: the loader opens the files the configuration
// names (TLS, tokens, database password), and a FIFO or /dev/zero there is the operator's choice,
// not a parser fault.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "smimegw/config/loader.hpp"

namespace {

using namespace smimegw::config;

void check(bool ok) {
  if (!ok) std::abort();
}

bool names_special_file(std::string_view in) {
  for (std::string_view bad : {"dev/", "proc/", "sys/", "run/", "\\", "fd/"})
    if (in.find(bad) != std::string_view::npos) return true;
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 65536) return 0;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  if (names_special_file(in)) return 0;
  Environment env;
  std::string yaml(in);
  if (auto split = in.find("\n---env\n"); split != std::string_view::npos) {
    yaml = std::string(in.substr(0, split));
    std::string_view rest = in.substr(split + 8);
    while (!rest.empty()) {
      auto lf = rest.find('\n');
      std::string_view line = rest.substr(0, lf);
      rest = lf == std::string_view::npos ? std::string_view() : rest.substr(lf + 1);
      auto eq = line.find('=');
      if (eq == std::string_view::npos) continue;
      env["SMIMEGW_" + std::string(line.substr(0, eq))] = std::string(line.substr(eq + 1));
    }
  }
  const LoadOutcome out = load_config_text(yaml, "fuzz.yaml", env);
  check(out.config.has_value() == out.errors.empty());
  const std::string effective = render_effective(out);
  if (!out.config) return 0;
  for (const auto& e : out.effective)
    if (e.value == "<redacted>") return 0;
  const LoadOutcome again = load_config_text(effective, "effective.yaml", {});
  check(again.config.has_value());
  check(again.effective.size() == out.effective.size());
  for (std::size_t i = 0; i < out.effective.size(); ++i)
    check(again.effective[i].key == out.effective[i].key &&
          again.effective[i].value == out.effective[i].value);
  return 0;
}
