// http/admin: the directory services of the admin API beyond users — certificates pushed to a
// user (PKCS#12 + password, or a certificate alone), distribution groups, and a user's sync API
// tokens. Implemented by app (src/app/admin_certificates.cpp, admin_groups.cpp,
// admin_sync_tokens.cpp). Users are named as in Users::get (numeric id or any address).
//
// Error codes besides not_found/validation_failed: the PKCS#12 decoder's wrong_password,
// mac_mismatch, unsupported_algorithm, malformed, limit_exceeded; the import's address_mismatch,
// no_smime_usage, key_mismatch, no_keys, untrusted (message lists the validation codes),
// malformed_certificate; kek_missing (no key vault loaded); group_not_found, bad_member,
// not_a_member, db_duplicate (an address already in use).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "smimegw/core/result.hpp"
#include "smimegw/http/admin_store.hpp"
#include "smimegw/http/json.hpp"

namespace smimegw::http::admin {

using TimePoint = std::chrono::system_clock::time_point;

struct UserCertificateView {
  std::int64_t id = 0;
  std::string thumbprint;  ///< SHA-1, upper-case hex
  std::string usage;       ///< sign | encrypt | both
  TimePoint not_before;
  TimePoint not_after;
  std::string source;  ///< import | pkcs12 | ldap | harvested
  bool has_private_key = false;
  bool enabled = true;
};

struct CertificatePush {
  std::string user;                       ///< id or address
  std::vector<std::uint8_t> pkcs12;       ///< a PFX, or empty when `certificate` is given
  std::string password;                   ///< of the PFX; never logged
  std::vector<std::uint8_t> certificate;  ///< DER of a certificate without key
  bool force = false;                     ///< store despite a trust failure (recorded)
  std::optional<bool> notify;             ///< mail the user; nullopt = admin.push_notification
  std::string actor;                      ///< "admin:<token name>" for the audit log
};

struct PushResult {
  std::vector<UserCertificateView> certificates;  ///< as stored
  std::vector<std::string> warnings;  ///< e.g. "forced: unknown_issuer", "notification_failed"
};

class UserCertificates {
 public:
  virtual ~UserCertificates() = default;
  virtual boost::asio::awaitable<core::Result<PushResult>> push(CertificatePush push) = 0;
  /// Deletes the user's certificate `certificate_id` (and its key); not_found if the user has none.
  virtual boost::asio::awaitable<core::Status> remove(std::string user, std::int64_t certificate_id,
                                                      std::string actor) = 0;
};

struct GroupView {
  std::int64_t id = 0;
  std::string address;
  std::string display_name;
  std::size_t member_count = 0;
};

struct GroupMemberView {
  std::string kind;  ///< user | group | external
  std::string address;
  std::int64_t id = 0;  ///< 0 for an external address
  bool enabled = true;
};

struct GroupDetail {
  GroupView group;
  std::vector<GroupMemberView> members;  ///< direct members, by address
};

class Groups {
 public:
  virtual ~Groups() = default;
  /// One page by address (page.top + 1 items at most).
  virtual boost::asio::awaitable<core::Result<std::vector<GroupView>>> list(Page page) = 0;
  virtual boost::asio::awaitable<core::Result<GroupDetail>> create(std::string address,
                                                                   std::string display_name) = 0;
  /// By numeric id or address; group_not_found when there is none.
  virtual boost::asio::awaitable<core::Result<GroupDetail>> get(std::string id_or_address) = 0;
  virtual boost::asio::awaitable<core::Status> remove(std::string id_or_address) = 0;
  /// Adds and removes (addresses, lower-case) in one transaction; the resulting group.
  virtual boost::asio::awaitable<core::Result<GroupDetail>> change_members(
      std::string id_or_address, std::vector<std::string> add, std::vector<std::string> remove) = 0;
  /// The nested expansion as `smimegw groups expand --json` prints it.
  virtual boost::asio::awaitable<core::Result<boost::json::object>> expand(
      std::string id_or_address) = 0;
};

class SyncTokens {
 public:
  virtual ~SyncTokens() = default;
  virtual boost::asio::awaitable<core::Result<std::vector<SyncTokenView>>> list(
      std::string user) = 0;
  /// Revokes all (token_id nullopt) or one; returns how many.
  virtual boost::asio::awaitable<core::Result<int>> revoke(
      std::string user, std::optional<std::int64_t> token_id) = 0;
};

}  // namespace smimegw::http::admin
