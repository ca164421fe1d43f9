// transport: OutboundSteps — carrying out the plan after commit (outbound_steps.hpp).
#include "smimegw/transport/outbound_steps.hpp"

#include <botan/auto_rng.h>

#include "offload.hpp"
#include "policy_gate_facts.hpp"
#include "smimegw/cms/loaded_certificate.hpp"
#include "smimegw/core/address.hpp"
#include "smimegw/mime/header_edit.hpp"
#include "smimegw/mime/marking.hpp"
#include "smimegw/mime/parser.hpp"
#include "smimegw/obs/log.hpp"
#include "smimegw/smime/encrypt.hpp"
#include "smimegw/smime/sign.hpp"

namespace smimegw::transport {

namespace asio = boost::asio;
using core::Error;

namespace outbound {

namespace {

std::optional<cms::ContentCipher> cipher_named(const std::string& n) {
  if (n == "aes-256-cbc") return cms::ContentCipher::aes256_cbc;
  if (n == "aes-128-cbc") return cms::ContentCipher::aes128_cbc;
  if (n == "aes-128-gcm") return cms::ContentCipher::aes128_gcm;
  if (n == "aes-256-gcm") return cms::ContentCipher::aes256_gcm;
  return std::nullopt;
}

core::Result<std::vector<Botan::X509_Certificate>> load_certs(
    const std::vector<const PlanCertificate*>& certs) {
  std::vector<Botan::X509_Certificate> out;
  for (const auto* c : certs) {
    try {
      out.push_back(cms::decoded_certificate(c->der));
    } catch (const std::exception&) {
      return Error::make("plan_invalid",
                         "a planned certificate cannot be decoded: " + c->thumbprint);
    }
  }
  return out;
}

}  // namespace

core::Result<std::string> mark_and_label(const std::string& body, const Plan& plan,
                                         std::vector<std::string>& notes) {
  std::string current = body;
  if (!plan.marking_header.empty() || !plan.marking_footer.empty()) {
    auto msg = mime::parse(current);
    if (!msg) return msg.error();
    auto marked = mime::mark(*msg, {plan.marking_header, plan.marking_footer});
    if (marked) {
      current = std::move(marked->message);
      if (marked->parts_marked == 0) notes.push_back("marking_skipped: no text part");
    } else if (marked.error().code == "signed_content") {
      notes.push_back("marking_skipped: the client signed or encrypted the message");
    } else {
      return marked.error();
    }
  }
  auto msg = mime::parse(current);
  if (!msg) return msg.error();
  auto headers = mime::header_block(*msg, msg->root);
  headers.remove("X-Smimegw-Sign");
  headers.remove("X-Smimegw-Encrypt");
  if (plan.set_msip) {
    if (plan.msip_labels.empty()) {
      headers.remove("msip_labels");
    } else {
      auto st = headers.set("msip_labels", plan.msip_labels);
      if (!st) return st.error();
    }
  }
  return mime::replace_header(*msg, msg->root, headers);
}

core::Result<std::vector<OutboundCopy>> encrypt_copies(const std::string& content, const Plan& plan,
                                                       const std::vector<std::string>& recipients) {
  auto cipher = cipher_named(plan.cipher);
  if (!cipher) return Error::make("plan_invalid", "unknown content cipher " + plan.cipher);
  std::vector<const PlanCertificate*> shared, main;
  std::map<std::string, const PlanCertificate*> bcc_certs;
  for (const auto& c : plan.certificates) {
    if (c.role != "recipient")
      shared.push_back(&c);
    else if (c.bcc)
      bcc_certs[c.address] = &c;
    else
      main.push_back(&c);
  }
  main.insert(main.end(), shared.begin(), shared.end());
  if (main.empty()) return Error::make("plan_invalid", "the plan names no certificate");
  smime::EncryptOptions eo;
  eo.cipher = *cipher;
  Botan::AutoSeeded_RNG rng;
  std::vector<OutboundCopy> copies;
  OutboundCopy everyone;
  for (const auto& r : recipients) {
    auto key = core::ascii_lower(r);
    auto it = bcc_certs.find(key);
    if (it == bcc_certs.end()) {
      everyone.recipients.push_back(key);
      continue;
    }
    auto own = shared;
    own.insert(own.begin(), it->second);
    auto certs = load_certs(own);
    if (!certs) return certs.error();
    auto body = smime::encrypt(content, *certs, eo, rng);
    if (!body) return body.error();
    copies.push_back({{key}, std::move(*body), 0});
  }
  if (!everyone.recipients.empty()) {
    auto certs = load_certs(main);
    if (!certs) return certs.error();
    auto body = smime::encrypt(content, *certs, eo, rng);
    if (!body) return body.error();
    everyone.body = std::move(*body);
    copies.insert(copies.begin(), std::move(everyone));
  }
  return copies;
}

}  // namespace outbound

namespace {

TraceEvent encrypted_event(const std::string& queue_id, const Plan& plan, const OutboundCopy& c) {
  std::string certs;
  for (const auto& pc : plan.certificates) certs += (certs.empty() ? "" : ",") + pc.thumbprint;
  return {queue_id,
          "outbound",
          "encrypted",
          c.recipients.size() == 1 ? c.recipients[0] : std::string(),
          gate::json_object(
              {{"cipher", plan.cipher}, {"copy_recipients", std::to_string(c.recipients.size())}}),
          {}};
}

}  // namespace

struct OutboundSteps::Job {
  QueuedMessage message;
  std::vector<std::string> recipients;
  Plan plan;
  std::optional<directory::KeyMaterial> signer;
  core::Status status;
  std::vector<OutboundCopy> copies;
  std::vector<TraceEvent> events;
};

OutboundSteps::OutboundSteps(directory::KeyRing& keys, TraceStore* trace, const core::Clock& clock,
                             StepsOptions options)
    : keys_(keys),
      trace_(trace),
      clock_(clock),
      options_(std::move(options)),
      threads_(static_cast<std::size_t>(std::max(options_.threads, 1))) {}

OutboundSteps::~OutboundSteps() {
  threads_.join();
}

core::Result<std::shared_ptr<const cms::SigningContext>> OutboundSteps::context_for(
    const directory::KeyMaterial& km, const std::string& digest, const std::string& include_chain,
    std::size_t& carried) {
  std::string cache_key = km.record.thumbprint + "/" + digest + "/" + include_chain;
  {
    std::lock_guard lock(mu_);
    auto it = contexts_.find(cache_key);
    if (it != contexts_.end() &&
        std::chrono::steady_clock::now() - it->second.made < kContextLifetime) {
      carried = it->second.carried;
      return it->second.context;
    }
  }
  smime::Signer signer{km.certificate, km.key.get(), {}, cms::DigestAlgorithm::sha256, false};
  if (digest == "sha384") signer.digest = cms::DigestAlgorithm::sha384;
  if (digest == "sha512") signer.digest = cms::DigestAlgorithm::sha512;
  if (include_chain != "none" && options_.chain) {
    auto issuers = options_.chain(km.certificate);
    if (!issuers) return issuers.error();
    signer.chain = carried_chain(std::move(*issuers), include_chain);
  }
  carried = signer.chain.size();
  auto ctx = smime::prepare(signer, static_cast<std::size_t>(std::max(options_.threads, 1)));
  if (!ctx) return ctx.error();
  std::lock_guard lock(mu_);
  contexts_[cache_key] = {km.key, *ctx, carried, std::chrono::steady_clock::now()};
  return *ctx;
}

// Steps 1–4 on the steps' threads: plain code, the job holds everything it needs.
void OutboundSteps::compute(Job& job) {
  const auto& plan = job.plan;
  const auto& queue_id = job.message.queue_id;
  std::vector<std::string> notes;
  auto content = outbound::mark_and_label(job.message.body, plan, notes);
  std::string().swap(job.message.body);
  if (!content) {
    job.status = content.error();
    return;
  }
  for (const auto& n : notes)
    job.events.push_back({queue_id, "outbound", "note", "", gate::json_object({{"note", n}}), {}});
  std::string body = std::move(*content);
  if (plan.sign) {
    const auto& km = *job.signer;
    std::size_t carried = 0;
    auto ctx = context_for(km, plan.digest, plan.include_chain, carried);
    if (!ctx) {
      job.status = ctx.error();
      return;
    }
    smime::SignOptions so;
    so.signing_time = clock_.now();
    auto signed_body = smime::sign(body, **ctx, so);
    if (!signed_body) {
      job.status = signed_body.error();
      return;
    }
    body = std::move(*signed_body);
    job.events.push_back({queue_id,
                          "outbound",
                          "signed",
                          plan.sender,
                          gate::json_object({{"thumbprint", km.record.thumbprint},
                                             {"digest", plan.digest},
                                             {"include_chain", plan.include_chain},
                                             {"chain_certificates", std::to_string(carried)}}),
                          {}});
  }
  if (plan.encrypt) {
    auto made = outbound::encrypt_copies(body, plan, job.recipients);
    if (!made) {
      job.status = made.error();
      return;
    }
    job.copies = std::move(*made);
    for (const auto& c : job.copies) job.events.push_back(encrypted_event(queue_id, plan, c));
  } else {
    job.copies.push_back({{}, std::move(body), 0});
  }
}

asio::awaitable<core::Result<std::vector<OutboundCopy>>> OutboundSteps::process(
    QueuedMessage message, std::vector<std::string> recipients) {
  auto plan = plan_from_json(message.plan_json);
  if (!plan) co_return plan.error();
  auto job = std::make_unique<Job>();
  job->message = std::move(message);
  job->recipients = std::move(recipients);
  job->plan = std::move(*plan);
  // The certificate validated before 250 (plan.sign_thumbprint), from the key ring's memory when
  // this process opened it already; otherwise the sender's current one from the store.
  if (job->plan.sign) job->signer = keys_.opened_signing(job->plan.sign_thumbprint);
  if (job->plan.sign && !job->signer) {
    auto km = co_await keys_.signing(job->plan.sender);
    if (!km) co_return km.error();
    job->signer = std::move(*km);
  }
  Job* j = job.get();
  OutboundSteps* self = this;
  auto work = [self, j] { self->compute(*j); };
  co_await offload(threads_, work);
  if (!job->status) co_return job->status.error();
  if (trace_) co_await trace_->record(std::move(job->events));
  co_return std::move(job->copies);
}

}  // namespace smimegw::transport
