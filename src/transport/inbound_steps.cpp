// transport: the I/O steps of InboundProcessor — keys, catalog, sealing, harvesting, trace
// (inbound.hpp). Straight-line coroutines: loops that decide live in plain functions.
#include <botan/auto_rng.h>

#include "inbound_job.hpp"
#include "smimegw/obs/log.hpp"
#include "smimegw/smime/encrypt.hpp"

namespace smimegw::transport {

namespace asio = boost::asio;

asio::awaitable<core::Result<std::vector<directory::KeyMaterial>>> VaultKeySource::owner_keys(
    std::string mailbox) {
  co_return co_await ring_.decryption(std::move(mailbox));
}

asio::awaitable<core::Result<std::vector<std::shared_ptr<const directory::GatewayKey>>>>
VaultKeySource::gateway_keys() {
  co_return co_await gateway_.all();
}

namespace {

/// A failure of a key source: temporary ones fail the copy, others are noted.
core::Status note(const core::Error& e, std::vector<std::string>& codes) {
  if (e.temporary) return core::Error::transient(e.code, "inbound keys: " + e.message);
  codes.push_back(e.code);
  return {};
}

/// The active gateway key's certificate, and the owner's newest date-valid encryption
/// certificate when there is one.
std::vector<Botan::X509_Certificate> seal_recipients(const InboundProcessor::Job& job,
                                                     core::Clock::time_point now) {
  std::vector<Botan::X509_Certificate> out;
  for (const auto& g : job.gateway)
    if (g->active) {
      out.push_back(g->certificate);
      break;
    }
  if (out.empty()) return out;
  const directory::KeyMaterial* newest = nullptr;
  for (const auto& k : job.owner) {
    const auto& r = k.record;
    if (!r.enabled || r.not_before > now || r.not_after <= now) continue;
    if (!newest || r.not_before > newest->record.not_before) newest = &k;
  }
  if (newest) out.push_back(newest->certificate);
  return out;
}

void seal_body(InboundProcessor::Job& job, core::Clock::time_point now) {
  auto recipients = seal_recipients(job, now);
  if (recipients.empty()) {
    job.step = core::Error::transient("gateway_key_unavailable",
                                      "no active gateway key to seal the mailbox copy");
    return;
  }
  Botan::AutoSeeded_RNG rng;
  smime::EncryptOptions eo;
  eo.cipher = cms::ContentCipher::aes256_gcm;
  // Also under the active gateway key's seal key: opening on fetch is then an AES key unwrap.
  for (const auto& g : job.gateway)
    if (g->active && !g->seal_key.empty()) {
      eo.kek_recipients.push_back({g->seal_key_id, g->seal_key});
      break;
    }
  auto sealed = smime::encrypt(job.body, recipients, eo, rng);
  if (!sealed) {
    job.step = core::Error::transient(sealed.error().code,
                                      "sealing the mailbox copy failed: " + sealed.error().message);
    return;
  }
  job.seal_recipients = recipients.size() + eo.kek_recipients.size();
  job.body = std::move(*sealed);
}

}  // namespace

asio::awaitable<core::Status> InboundProcessor::load_keys(Job* job) {
  if (!job->enveloped) co_return core::Status{};
  auto owner = co_await keys_.owner_keys(job->in.mailbox);
  job->owner_loaded = true;
  if (owner) job->owner = std::move(*owner);
  if (!owner) {
    if (auto st = note(owner.error(), job->key_errors); !st) co_return st;
  }
  auto gateway = co_await keys_.gateway_keys();
  if (gateway) job->gateway = std::move(*gateway);
  if (!gateway) co_return note(gateway.error(), job->key_errors);
  co_return core::Status{};
}

asio::awaitable<core::Status> InboundProcessor::load_catalog(Job* job) {
  if (!labels_) co_return core::Status{};
  auto c = co_await labels_->catalog();
  if (!c) co_return core::Error::transient(c.error().code, "label catalog: " + c.error().message);
  job->catalog = std::move(*c);
  co_return core::Status{};
}

asio::awaitable<core::Status> InboundProcessor::seal(Job* job) {
  if (!job->owner_loaded) {
    auto owner = co_await keys_.owner_keys(job->in.mailbox);
    job->owner_loaded = true;
    if (owner) job->owner = std::move(*owner);
    if (!owner && owner.error().temporary)
      co_return core::Error::transient(owner.error().code,
                                       "inbound keys: " + owner.error().message);
  }
  if (job->gateway.empty()) {
    auto gateway = co_await keys_.gateway_keys();
    if (!gateway)
      co_return core::Error::transient(
          "gateway_key_unavailable",
          "the mailbox copy must be sealed but the gateway key is unavailable: " +
              gateway.error().code);
    job->gateway = std::move(*gateway);
  }
  Job* j = job;
  const core::Clock::time_point now = clock_.now();
  auto sealing = [j, now] { seal_body(*j, now); };
  co_await offload(threads_, sealing);
  co_return job->step;
}

}  // namespace smimegw::transport
