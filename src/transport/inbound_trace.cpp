// transport: harvesting valid signers' certificates and recording the inbound decisions in the
// message trace (inbound.hpp steps 4 and 6). Neither fails the delivery: problems are logged.
#include <optional>

#include "inbound_job.hpp"
#include "smimegw/obs/log.hpp"

namespace smimegw::transport {

namespace asio = boost::asio;

namespace {

std::string q(std::string_view s) {
  std::string out = "\"";
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') out += '\\';
    if (c >= 0x20) out += ch;
  }
  return out + "\"";
}

std::string codes(const std::vector<std::string>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? "," : "") + q(v[i]);
  return out + "]";
}

/// The certificates to harvest: passing signers, each once.
std::vector<const SignerVerdict*> harvestable(const Analysis& a) {
  std::vector<const SignerVerdict*> out;
  for (const auto& v : a.signers) {
    if (v.result != SmimeResult::pass || !v.certificate) continue;
    bool seen = false;
    for (const auto* o : out) seen = seen || *o->certificate == *v.certificate;
    if (!seen) out.push_back(&v);
  }
  return out;
}

std::vector<TraceEvent> events_of(const InboundProcessor::Job& job) {
  const Analysis& a = job.analysis;
  std::vector<TraceEvent> ev;
  auto add = [&](std::string event, std::string detail) {
    ev.push_back({job.in.queue_id, "inbound", std::move(event), job.in.mailbox, std::move(detail)});
  };
  if (a.decrypted) add("decrypted", "{\"cipher\":" + q(a.cipher) + "}");
  if (a.encrypted && !a.decrypted)
    add("not_decryptable", "{\"errors\":" + codes(a.status.errors) + "}");
  for (const auto& v : a.signers)
    add("signature", "{\"layer\":" + q(v.layer) + ",\"result\":" + q(to_string(v.result)) +
                         ",\"signer\":" + q(v.identifier) + ",\"errors\":" + codes(v.errors) + "}");
  add("authentication_results", "{\"result\":" + q(a.status.result) + ",\"removed_spoofed\":" +
                                    std::to_string(job.removed_results) + "}");
  for (const auto& [thumbprint, outcome] : job.harvested)
    add("harvested", "{\"thumbprint\":" + q(thumbprint) + ",\"outcome\":" + q(outcome) + "}");
  if (!job.label.id.empty())
    add("label", "{\"id\":" + q(job.label.id) +
                     ",\"source\":" + q(job.in.label_id.empty() ? "msip_labels" : "intake") +
                     ",\"protected\":" + (job.protected_label ? "true" : "false") + "}");
  if (job.seal)
    add("sealed", "{\"reason\":" + q(a.decrypted ? "encrypted" : "label") +
                      ",\"cipher\":\"aes-256-gcm\",\"recipients\":" +
                      std::to_string(job.seal_recipients) + "}");
  return ev;
}

/// co_spawn needs a default-constructible result, hence the optional.
asio::awaitable<std::optional<core::Result<directory::HarvestOutcome>>> harvest_one(
    directory::CertificateService* service, std::string owner, std::vector<std::uint8_t> der,
    std::string contact) {
  auto r = co_await service->harvest(std::move(owner), std::move(der), std::move(contact));
  co_return r;
}

}  // namespace

asio::awaitable<void> InboundProcessor::harvest(Job* job) {
  if (!harvester_) co_return;
  auto log = obs::logger("transport");
  const auto todo = harvestable(job->analysis);
  for (std::size_t i = 0; i < todo.size(); ++i) {
    std::vector<std::uint8_t> der = todo[i]->certificate->BER_encode();
    std::string thumbprint = directory::thumbprint_of(der);
    std::string owner = job->in.mailbox;
    std::string contact = todo[i]->identifier;
    // harvest() validates synchronously: run it on our threads.
    auto task = harvest_one(harvester_, std::move(owner), std::move(der), std::move(contact));
    auto done = co_await asio::co_spawn(threads_, std::move(task), asio::use_awaitable);
    core::Result<directory::HarvestOutcome> r = std::move(*done);
    std::string outcome = r ? std::string(directory::to_string(*r)) : r.error().code;
    obs::log(*log, r ? spdlog::level::info : spdlog::level::warn, "certificate_harvest",
             {{"queue_id", job->in.queue_id},
              {"rcpt", job->in.mailbox},
              {"thumbprint", thumbprint},
              {"outcome", outcome}});
    job->harvested.emplace_back(std::move(thumbprint), std::move(outcome));
  }
}

asio::awaitable<void> InboundProcessor::record(Job* job) {
  auto log = obs::logger("transport");
  const auto& st = job->analysis.status;
  std::string errors;
  for (const auto& e : st.errors) errors += (errors.empty() ? "" : ",") + e;
  obs::log(*log, spdlog::level::info, "inbound_processed",
           {{"queue_id", job->in.queue_id},
            {"rcpt", job->in.mailbox},
            {"encrypted", st.encrypted ? "yes" : "no"},
            {"decrypted", st.decrypted ? "yes" : "no"},
            {"smime", st.result},
            {"signer", st.signer},
            {"errors", errors},
            {"label", job->label.id},
            {"sealed", job->seal ? "yes" : "no"}});
  if (!trace_) co_return;
  auto events = events_of(*job);
  auto r = co_await trace_->record(std::move(events));
  if (!r)
    obs::log(*log, spdlog::level::warn, "trace_record_failed",
             {{"queue_id", job->in.queue_id}, {"error", r.error().code}});
}

}  // namespace smimegw::transport
