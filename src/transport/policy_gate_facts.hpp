// transport: plain helpers of the policy gate (policy_gate.cpp): facts from the message header,
// refusal text, trace detail JSON. No I/O.
#pragma once

#include <string>
#include <vector>

#include "smimegw/mime/message.hpp"
#include "smimegw/policy/decision.hpp"
#include "smimegw/transport/policy_gate.hpp"

namespace smimegw::transport::gate {

/// Message-IDs named by In-Reply-To and References ("<...>" tokens), at most 50.
std::vector<std::string> answered_ids(const mime::Message& msg);
/// Top-level Content-Type says the client signed (multipart/signed, signed-data) or encrypted.
bool client_signed(const mime::Message& msg);
bool client_encrypted(const mime::Message& msg);
/// A fresh random GUID (lower-case), for the msip_labels ActionId.
std::string random_guid();
/// One refusal line: "address: code: reason" (CR/LF removed).
std::string refusal_line(const std::string& address, const std::string& code,
                         const std::string& reason);
/// JSON object text from string pairs (values escaped).
std::string json_object(const std::vector<std::pair<std::string, std::string>>& fields);
/// The group path that reached `address` ("team@x>sub@x"; "" when it was named directly).
std::string via_path(const std::vector<GateRecipient>& recipients, const std::string& address);
/// The decision's refusals as lines, whole-message refusals first; a recipient reached through a
/// group is named "address (via group>...)".
std::vector<std::string> refusal_lines(const policy::Decision& d,
                                       const std::vector<GateRecipient>& recipients);
/// "aes-256-cbc" etc. from the settings' "AES-256-CBC"; "sha256" from "SHA-256".
std::string cipher_name(const std::string& settings_value);
std::string digest_name(const std::string& settings_value);

}  // namespace smimegw::transport::gate
