// http/admin: what the admin API handlers need from the rest of the gateway, as interfaces. The
// handlers (src/http/admin/) validate requests and shape JSON; these services do the work. app
// implements them over the trust collection, the queue store and the user store
// (src/app/admin_services.cpp), so the http module never sees the database or the other modules.
// Certificates, groups and sync tokens are in directory_services.hpp, the label catalog and the
// S/MIME settings in policy_services.hpp, trace/expiry/CRL views in operations_services.hpp;
// src/app/admin_api.cpp wires one implementation of each into Services.
//
// Every call returns the module's Error on failure; the handler turns it into an answer through
// the one error table (errors.hpp). not_found is the code for an id that does not exist.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "smimegw/core/result.hpp"
#include "smimegw/http/admin/directory_services.hpp"
#include "smimegw/http/admin/operations_services.hpp"
#include "smimegw/http/admin/policy_services.hpp"
#include "smimegw/http/json.hpp"
#include "smimegw/http/queue_view_store.hpp"

namespace smimegw::http::admin {

using TimePoint = std::chrono::system_clock::time_point;

// ---- trust anchors (the virtual certificate collection) -----------------------------------
struct AnchorView {
  std::int64_t id = 0;
  std::string subject;
  std::string issuer;
  std::string sha256;
  bool is_root = false;
  bool enabled = true;
  TimePoint not_after;
  std::string added_by;
  TimePoint added_at;
};

struct ImportItem {  ///< one certificate of an upload; status as trust/collection.hpp
  std::string origin;
  std::string status;
  std::string detail;
  std::string subject;
  std::string sha256;
  std::optional<std::int64_t> id;
  bool is_root = false;
};

struct ImportResult {
  std::string format;  ///< pem | der | pkcs7 | sst
  std::vector<ImportItem> items;
};

class TrustAnchors {
 public:
  virtual ~TrustAnchors() = default;
  /// Imports every certificate of `file` (PEM, DER, PKCS#7, SST); file-level errors: malformed,
  /// no_certificates, too_large.
  virtual boost::asio::awaitable<core::Result<ImportResult>> import(std::string file,
                                                                    std::string added_by) = 0;
  /// One page (page.top + 1 items at most, to signal a next page), ordered by id.
  virtual boost::asio::awaitable<core::Result<std::vector<AnchorView>>> list(Page page) = 0;
  virtual boost::asio::awaitable<core::Result<AnchorView>> set_enabled(std::int64_t id,
                                                                       bool enabled) = 0;
  virtual boost::asio::awaitable<core::Status> remove(std::int64_t id) = 0;
};

// ---- queue -------------------------------------------------------------------------------
using http::QueueItemView;  // queue_view_store.hpp
using http::QueueRecipientView;

struct QueueFilter {
  std::string state;   ///< "" | pending | delivered | failed: messages with a recipient in it
  std::string sender;  ///< "" | exact envelope sender (lower-cased)
  Page page;
};

class Queue {
 public:
  virtual ~Queue() = default;
  /// Newest first; page.top + 1 items at most.
  virtual boost::asio::awaitable<core::Result<std::vector<QueueItemView>>> list(
      QueueFilter filter) = 0;
  virtual boost::asio::awaitable<core::Result<QueueItemView>> get(std::string queue_id) = 0;
  /// Recipients made due again.
  virtual boost::asio::awaitable<core::Result<int>> retry(std::string queue_id) = 0;
  virtual boost::asio::awaitable<core::Status> remove(std::string queue_id) = 0;
};

// ---- users -------------------------------------------------------------------------------
struct UserView {
  std::int64_t id = 0;
  std::string address;
  std::string display_name;
  bool enabled = true;
  std::vector<std::string> proxy_addresses;
};

struct NewUser {
  std::string address;  ///< validated, lower-cased
  std::string display_name;
  std::string password;  ///< "" = no password login; hashed by the service
  std::vector<std::string> proxy_addresses;
};

class Users {
 public:
  virtual ~Users() = default;
  /// Creates a user; conflict (db_duplicate) if an address is taken.
  virtual boost::asio::awaitable<core::Result<UserView>> create(NewUser user) = 0;
  /// By numeric id or by address (primary or proxy).
  virtual boost::asio::awaitable<core::Result<UserView>> get(std::string id_or_address) = 0;
  /// One page ordered by address (page.top + 1 items at most).
  virtual boost::asio::awaitable<core::Result<std::vector<UserView>>> list(Page page) = 0;
  /// Enables or disables the user `id_or_address`; returns the user.
  virtual boost::asio::awaitable<core::Result<UserView>> set_enabled(std::string id_or_address,
                                                                     bool enabled) = 0;
  /// The user's certificates (GAL), newest first.
  virtual boost::asio::awaitable<core::Result<std::vector<UserCertificateView>>> certificates(
      std::string id_or_address) = 0;
};

/// The services of one admin listener (all required; they outlive the router).
struct Services {
  TrustAnchors* trust = nullptr;
  Queue* queue = nullptr;
  Users* users = nullptr;
  UserCertificates* certificates = nullptr;
  Groups* groups = nullptr;
  SyncTokens* sync_tokens = nullptr;
  Labels* labels = nullptr;
  SmimeConfig* smime_config = nullptr;
  Operations* operations = nullptr;
};

}  // namespace smimegw::http::admin
