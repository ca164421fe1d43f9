// transport: InboundProcessor::process — the order of the steps (inbound.hpp). Each step is a
// straight-line coroutine or a plain function run on the processor's threads.
#include "smimegw/transport/inbound.hpp"

#include <botan/auto_rng.h>

#include "inbound_job.hpp"
#include "smimegw/obs/log.hpp"
#include "smimegw/smime/probe.hpp"
#include "smimegw/smime/trust_check.hpp"

namespace smimegw::transport {

namespace asio = boost::asio;

InboundProcessor::InboundProcessor(InboundKeySource& keys, trust::Validator& validator,
                                   directory::CertificateService* harvester, TraceStore* trace,
                                   LabelCatalog* labels, const core::Clock& clock,
                                   InboundOptions options)
    : keys_(keys),
      validator_(validator),
      harvester_(harvester),
      trace_(trace),
      labels_(labels),
      clock_(clock),
      options_(std::move(options)),
      threads_(static_cast<std::size_t>(options_.threads > 0 ? options_.threads : 1)) {}

InboundProcessor::~InboundProcessor() {
  threads_.join();
}

namespace {

std::vector<cms::DecryptKey> decrypt_keys(const InboundProcessor::Job& job) {
  std::vector<cms::DecryptKey> keys;
  for (const auto& k : job.owner) keys.emplace_back(k.certificate, k.key.get());
  for (const auto& g : job.gateway) keys.emplace_back(g->certificate, g->key.get());
  return keys;
}

}  // namespace

void InboundProcessor::analyse_step(Job& job) {
  Botan::AutoSeeded_RNG rng;
  AnalyseOptions ao;
  ao.keys = decrypt_keys(job);
  ao.accept_sha1 = options_.accept_sha1;
  ao.mime_limits = options_.mime_limits;
  smime::TrustCheckOptions to;
  to.at = clock_.now();
  to.revocation = options_.revocation;
  ao.chain_check = smime::trust_chain_check(validator_, std::move(to));
  job.analysis = analyse(job.in.body, ao, rng);
  for (const auto& code : job.key_errors)
    if (job.analysis.encrypted && !job.analysis.decrypted &&
        std::find(job.analysis.status.errors.begin(), job.analysis.status.errors.end(), code) ==
            job.analysis.status.errors.end())
      job.analysis.status.errors.push_back(code);
  std::string().swap(job.in.body);

  job.label = label_of(job.analysis.message, job.in.label_id, options_.tenant_id, job.catalog.get(),
                       options_.mime_limits);
  job.protected_label =
      job.label.content_encrypted ||
      (job.catalog && !job.label.id.empty() && label_protected(*job.catalog, job.label.id));
  // Only plaintext is sealed: a copy that stays encrypted as received is stored as it came.
  job.seal = job.analysis.decrypted || (!job.analysis.encrypted && job.protected_label);

  job.authentication_results = authentication_results(options_.authserv_id, job.analysis);
  auto stamped =
      stamp_results(job.analysis.message, options_.authserv_id, job.authentication_results,
                    &job.removed_results, options_.mime_limits);
  if (stamped) {
    job.body = std::move(*stamped);
  } else {
    // Beyond the parser's limits: nothing could be verified either (permerror); kept as is.
    job.body = job.analysis.message;
  }
  std::string().swap(job.analysis.message);
}

asio::awaitable<core::Result<LocalCopy>> InboundProcessor::process(LocalInput input) {
  auto job = std::make_unique<Job>();
  job->in = std::move(input);
  job->enveloped = smime::is_enveloped(job->in.body, options_.mime_limits);
  if (auto st = co_await load_keys(job.get()); !st) co_return st.error();
  if (auto st = co_await load_catalog(job.get()); !st) co_return st.error();

  Job* j = job.get();
  InboundProcessor* self = this;
  auto analysed = [self, j] { self->analyse_step(*j); };
  co_await offload(threads_, analysed);

  if (job->seal) {
    if (auto st = co_await seal(job.get()); !st) co_return st.error();
  }
  co_await harvest(job.get());
  co_await record(job.get());

  LocalCopy copy;
  copy.body = std::move(job->body);
  copy.smime_json = status_json(job->analysis.status);
  copy.label_id = job->label.id;
  copy.sealed = job->seal;
  co_return copy;
}

}  // namespace smimegw::transport
