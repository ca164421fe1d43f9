// transport: inbound S/MIME processing of every copy stored in a local mailbox (issue 7 item 4;
// RFC 8551, RFC 7281, RFC 8601 §5). The worker calls process() for inbound mail from :25 and for
// internal recipients of outbound mail (those arrive encrypted by the gateway to the recipient and
// the gateway key). Per copy:
//  1. a top-level enveloped/authEnveloped entity is decrypted with the owner's keys (key ring) or
//     a gateway key; no key fits → the copy is stored as received, status encrypted with the
//     reason (mail is never lost for that);
//  2. every signature layer is verified through the trust service (chain, revocation, signing
//     usage, signer address = From:), giving an RFC 7281 result per signer (inbound_verdict.hpp);
//  3. incoming Authentication-Results fields with our authserv-id are removed, ours goes on top;
//  4. valid signers' certificates are harvested for the owner (CertificateService::harvest);
//  5. the copy is sealed — CMS AES-256-GCM (authEnveloped) to the active gateway key (its
//     certificate, and its seal key as a KEKRecipientInfo) and the owner's newest encryption
//     certificate — when it arrived encrypted and was opened, or its
//     label (LocalInput::label_id, else our tenant's msip_labels label) is protected (catalog
//     protection encrypt, or ContentBits 8);
//  6. the decisions go to the message trace (stage "inbound"; never content or keys).
// Failure semantics: a temporary failure of the key vault, the database, the catalog or a
// missing gateway key when sealing is needed returns Error::transient (the worker retries);
// protected or decrypted content is never stored in the clear. Crypto and trust validation
// (which may fetch CRLs) run on this object's own threads, never on the event loop.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "smimegw/core/clock.hpp"
#include "smimegw/core/result.hpp"
#include "smimegw/directory/certificate_service.hpp"
#include "smimegw/directory/gateway_key.hpp"
#include "smimegw/directory/key_ring.hpp"
#include "smimegw/mime/limits.hpp"
#include "smimegw/policy/label.hpp"
#include "smimegw/transport/inbound_verdict.hpp"
#include "smimegw/transport/local_delivery.hpp"
#include "smimegw/transport/trace.hpp"
#include "smimegw/trust/validator.hpp"

namespace smimegw::transport {

/// Where the decryption keys come from. VaultKeySource is the daemon's; tests give their own.
class InboundKeySource {
 public:
  virtual ~InboundKeySource() = default;
  /// The owner's decryption keys (directory::KeyRing::decryption semantics and codes).
  virtual boost::asio::awaitable<core::Result<std::vector<directory::KeyMaterial>>> owner_keys(
      std::string mailbox) = 0;
  /// Every gateway key, the active one first (not_found when there is none).
  virtual boost::asio::awaitable<
      core::Result<std::vector<std::shared_ptr<const directory::GatewayKey>>>>
  gateway_keys() = 0;
};

/// The key ring and the gateway key service.
class VaultKeySource final : public InboundKeySource {
 public:
  VaultKeySource(directory::KeyRing& ring, directory::GatewayKeyService& gateway)
      : ring_(ring), gateway_(gateway) {}
  boost::asio::awaitable<core::Result<std::vector<directory::KeyMaterial>>> owner_keys(
      std::string mailbox) override;
  boost::asio::awaitable<core::Result<std::vector<std::shared_ptr<const directory::GatewayKey>>>>
  gateway_keys() override;

 private:
  directory::KeyRing& ring_;
  directory::GatewayKeyService& gateway_;
};

/// The label catalog (to tell whether a label is protected).
class LabelCatalog {
 public:
  virtual ~LabelCatalog() = default;
  /// Fails with a temporary error when the catalog cannot be read.
  virtual boost::asio::awaitable<core::Result<std::shared_ptr<const policy::Catalog>>>
  catalog() = 0;
};

struct InboundOptions {
  std::string authserv_id;  ///< organization.hostname
  std::string tenant_id;    ///< organization.tenant_id (msip_labels SiteId), lower-case
  bool accept_sha1 = false;
  trust::RevocationMode revocation = trust::RevocationMode::require;
  int threads = 2;  ///< crypto and validation threads
  mime::Limits mime_limits;
};

/// The label of a copy and what its msip_labels entry says.
struct LabelFacts {
  std::string id;                  ///< lower-case GUID, "" = none
  bool content_encrypted = false;  ///< our tenant's label with ContentBits 8
};

/// `given` when non-empty; else the enabled msip_labels label of tenant `tenant_id` with the
/// highest catalog priority (labels unknown to the catalog rank lowest, header order breaks ties).
/// `catalog` may be null. Pure; a malformed msip_labels header counts as none.
LabelFacts label_of(std::string_view message, std::string_view given, std::string_view tenant_id,
                    const policy::Catalog* catalog, const mime::Limits& limits = {});

/// Whether `label_id` has protection encrypt in `catalog`.
bool label_protected(const policy::Catalog& catalog, std::string_view label_id);

class InboundProcessor final : public LocalProcessor {
 public:
  /// `harvester`, `trace` and `labels` may be null (no harvesting, no trace, only
  /// ContentBits/encrypted arrival decide sealing). Every reference must outlive the processor.
  InboundProcessor(InboundKeySource& keys, trust::Validator& validator,
                   directory::CertificateService* harvester, TraceStore* trace,
                   LabelCatalog* labels, const core::Clock& clock, InboundOptions options);
  ~InboundProcessor() override;
  InboundProcessor(const InboundProcessor&) = delete;
  InboundProcessor& operator=(const InboundProcessor&) = delete;

  boost::asio::awaitable<core::Result<LocalCopy>> process(LocalInput input) override;

  struct Job;  ///< one copy's state (inbound.cpp)

 private:
  boost::asio::awaitable<core::Status> load_keys(Job* job);
  boost::asio::awaitable<core::Status> load_catalog(Job* job);
  boost::asio::awaitable<core::Status> seal(Job* job);
  boost::asio::awaitable<void> harvest(Job* job);
  boost::asio::awaitable<void> record(Job* job);
  void analyse_step(Job& job);

  InboundKeySource& keys_;
  trust::Validator& validator_;
  directory::CertificateService* harvester_;
  TraceStore* trace_;
  LabelCatalog* labels_;
  const core::Clock& clock_;
  InboundOptions options_;
  boost::asio::thread_pool threads_;
};

}  // namespace smimegw::transport
