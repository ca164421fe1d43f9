// transport (private): the state of one copy through InboundProcessor (inbound.hpp), and the
// offload of blocking work onto the processor's threads.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "offload.hpp"
#include "smimegw/transport/inbound.hpp"

namespace smimegw::transport {

struct InboundProcessor::Job {
  LocalInput in;
  bool enveloped = false;
  std::vector<directory::KeyMaterial> owner;
  bool owner_loaded = false;
  std::vector<std::shared_ptr<const directory::GatewayKey>> gateway;
  std::vector<std::string> key_errors;  ///< non-temporary key source failures (codes)
  std::shared_ptr<const policy::Catalog> catalog;
  Analysis analysis;
  LabelFacts label;
  bool protected_label = false;
  bool seal = false;
  std::string authentication_results;
  std::size_t removed_results = 0;
  std::string body;  ///< stamped (and, once sealed, the sealed entity)
  std::size_t seal_recipients = 0;
  core::Status step;                                           ///< failure of an offloaded step
  std::vector<std::pair<std::string, std::string>> harvested;  ///< thumbprint, outcome
};

}  // namespace smimegw::transport
