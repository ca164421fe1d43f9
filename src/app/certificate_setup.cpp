#include "certificate_setup.hpp"

#include <pwd.h>
#include <unistd.h>

#include "database.hpp"
#include "directory_setup.hpp"
#include "smimegw/core/run_sync.hpp"
#include "smimegw/directory/key_rotation.hpp"

namespace smimegw::app {

namespace {

trust::ValidatorOptions validator_options(const config::Config& cfg) {
  trust::ValidatorOptions o;
  o.fetch.connect_timeout = std::chrono::milliseconds(cfg.trust.crl_connect_timeout_ms);
  o.fetch.total_timeout = std::chrono::milliseconds(cfg.trust.crl_total_timeout_ms);
  o.cache_capacity = 0;  // one-shot commands
  return o;
}

}  // namespace

CertificateSetup::CertificateSetup(const config::Config& cfg)
    : pool(connection_options(cfg), 1),
      validator(std::make_unique<trust::Validator>(anchors, &crls, validator_options(cfg))) {}

core::Result<std::unique_ptr<CertificateSetup>> open_certificate_setup(const config::Config& cfg,
                                                                       bool need_vault) {
  if (auto gate = check_database(cfg); !gate) return gate.error();
  auto s = std::make_unique<CertificateSetup>(cfg);
  if (need_vault) {
    auto checked = core::run_sync(directory::check_kek(s->certs, cfg.keys.kek_file));
    if (!checked) return checked.error();
    auto vault = directory::KeyVault::load(cfg.keys.kek_file);
    if (!vault) return vault.error();
    s->vault.emplace(std::move(*vault));
  }
  s->service = std::make_unique<directory::CertificateService>(
      s->users, s->certs, *s->validator, s->vault ? &*s->vault : nullptr, s->clock,
      certificate_service_options(cfg));
  return s;
}

core::Status check_key_vault(const config::Config& cfg) {
  db::Pool pool(connection_options(cfg), 1);
  db::PgCertificateStore certs(pool);
  auto r = core::run_sync(directory::check_kek(certs, cfg.keys.kek_file));
  if (!r) return r.error();
  return {};
}

std::string cli_actor() {
  if (auto* pw = ::getpwuid(::geteuid()); pw && pw->pw_name)
    return std::string("cli:") + pw->pw_name;
  return "cli:uid" + std::to_string(::geteuid());
}

}  // namespace smimegw::app
