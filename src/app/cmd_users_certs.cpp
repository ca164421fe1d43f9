// `smimegw users show ADDRESS [--json]`, `users import-pkcs12 ADDRESS FILE --password-file P
// [--force]`, `users export-pkcs12 ADDRESS OUT --password-file P` (issue 6 items 1, 3, 4).
// Exit codes: 0 done, 1 refused or failed (the code and reason on stderr), 2 usage or bad input.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "certificate_setup.hpp"
#include "commands.hpp"
#include "smime_cli.hpp"
#include "smimegw/core/address.hpp"
#include "smimegw/core/run_sync.hpp"
#include "users_cli.hpp"

namespace smimegw::app {

namespace {

std::optional<std::string> address_arg(const Args& a, const std::string& verb) {
  auto addr = core::Address::parse(a.positional[1]);
  if (!addr) {
    report("users " + verb + ": " + addr.error().message);
    return std::nullopt;
  }
  return addr->key();
}

int failed(const std::string& verb, const core::Error& e) {
  report("users " + verb + ": " + e.code + ": " + e.message);
  return 1;
}

// Writes the PFX with mode 0600, refusing to overwrite an existing file.
bool write_private(const std::string& path, const std::vector<std::uint8_t>& data,
                   std::string& error) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    error = path + ": " + std::strerror(errno);
    return false;
  }
  std::size_t put = 0;
  while (put < data.size()) {
    auto n = ::write(fd, data.data() + put, data.size() - put);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error = path + ": " + std::strerror(errno);
      ::close(fd);
      ::unlink(path.c_str());
      return false;
    }
    put += static_cast<std::size_t>(n);
  }
  ::close(fd);
  return true;
}

}  // namespace

int users_show(const Args& a) {
  auto address = address_arg(a, "show");
  if (!address) return 2;
  auto cfg = load_config_or_report(config_path(a));
  if (!cfg) return 2;
  auto setup = open_certificate_setup(*cfg, false);
  if (!setup) return failed("show", setup.error());
  auto r = core::run_sync((*setup)->service->report(*address));
  if (!r) return failed("show", r.error());
  std::cout << (a.has("json") ? render_user_json(*r) + "\n" : render_user_text(*r));
  return 0;
}

int users_import_pkcs12(const Args& a) {
  auto address = address_arg(a, "import-pkcs12");
  if (!address) return 2;
  if (!a.has("password-file")) {
    report("users import-pkcs12: --password-file P is required");
    return 2;
  }
  std::string err;
  auto pfx = read_whole(a.positional[2], err);
  auto password = pfx ? read_password_file(a.get("password-file"), err) : std::nullopt;
  if (!pfx || !password) {
    report("users import-pkcs12: " + err);
    return 2;
  }
  auto cfg = load_config_or_report(config_path(a));
  if (!cfg) return 2;
  auto setup = open_certificate_setup(*cfg, true);
  if (!setup) return failed("import-pkcs12", setup.error());
  auto r = core::run_sync((*setup)->service->import_pkcs12(
      *address, std::vector<std::uint8_t>(pfx->begin(), pfx->end()), *password, a.has("force"),
      cli_actor()));
  if (!r) return failed("import-pkcs12", r.error());
  for (const auto& c : *r) {
    std::cout << "imported " << c.thumbprint << " usage=" << directory::to_string(c.usage);
    if (c.forced) {
      std::cout << " forced (";
      for (std::size_t i = 0; i < c.codes.size(); ++i) std::cout << (i ? "," : "") << c.codes[i];
      std::cout << ")";
    }
    std::cout << "\n";
  }
  return 0;
}

int users_export_pkcs12(const Args& a) {
  auto address = address_arg(a, "export-pkcs12");
  if (!address) return 2;
  if (!a.has("password-file")) {
    report("users export-pkcs12: --password-file P is required");
    return 2;
  }
  std::string err;
  auto password = read_password_file(a.get("password-file"), err);
  if (!password) {
    report("users export-pkcs12: " + err);
    return 2;
  }
  auto cfg = load_config_or_report(config_path(a));
  if (!cfg) return 2;
  auto setup = open_certificate_setup(*cfg, true);
  if (!setup) return failed("export-pkcs12", setup.error());
  auto r = core::run_sync((*setup)->service->export_pkcs12(*address, *password, cli_actor()));
  if (!r) return failed("export-pkcs12", r.error());
  if (!write_private(a.positional[2], r->pfx, err)) {
    report("users export-pkcs12: " + err);
    return 1;
  }
  for (const auto& t : r->thumbprints) std::cout << "exported " << t << "\n";
  return 0;
}

}  // namespace smimegw::app
