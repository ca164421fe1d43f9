// config: the typed, immutable configuration of one gateway instance.
//
// Built only by load_config() (loader.hpp) from one YAML file plus SMIMEGW_* environment overrides,
// validated against the settings table (settings.hpp) before any field is set. Services receive the
// parts they need by const reference; nothing mutates a Config after loading.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace smimegw::config {

/// A listen or connect address "host:port" (IPv6 hosts in brackets: "[::1]:8443").
struct Endpoint {
  std::string host;
  std::uint16_t port = 0;
  std::string str() const;
  friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

/// A per-domain relay route (relay.routes).
struct Route {
  std::string domain;
  Endpoint host;
  std::string tls;                 ///< none | opportunistic | required
  std::string auth_user;           ///< AUTH PLAIN towards this route's host when not empty
  std::string auth_password_file;  ///< its password (first line), read when serve starts
  friend bool operator==(const Route&, const Route&) = default;
};

struct Config {
  std::string source_file;  ///< the YAML file this came from

  struct Organization {
    std::string name;
    std::string tenant_id;
    std::string hostname;
    std::vector<std::string> accepted_domains;  ///< lower-cased
  } organization;

  struct Database {
    std::string url;       ///< libpq URI or conninfo; empty = embedded cluster from scripts/run.sh
    std::string password;  ///< from database.password_file, never dumped
    int connect_timeout_s = 30;
    int pool_size = 4;
    int statement_timeout_ms = 30000;
  } database;

  struct Smtp {
    struct Listener {
      Endpoint listen;
    } inbound, submission;
    struct Tls {
      std::string certificate_file;
      std::string key_file;
    } tls;
    struct Limits {
      std::int64_t max_message_bytes = 0;
      int max_recipients = 0;
      int max_connections = 0;
      int max_connections_per_address = 0;
      int command_timeout_s = 0;
      int data_timeout_s = 0;
      int max_errors = 0;
    } limits;
    bool allow_auth_without_tls = false;
    std::vector<std::string> inbound_relay_networks;  ///< smtp.inbound.relay_networks (CIDR)
  } smtp;

  struct Relay {
    std::string smarthost;
    std::string tls;
    std::vector<Route> routes;
    std::string auth_user;  ///< AUTH PLAIN towards the smarthost when not empty
    std::string auth_password_file;
    bool allow_auth_without_tls = false;
    int max_per_destination = 10;
  } relay;

  struct Admin {
    Endpoint listen;
    std::string tokens_file;
    struct Tls {
      std::string certificate_file;  ///< empty (with key_file): plain HTTP, loopback only
      std::string key_file;
    } tls;
    bool allow_insecure_http = false;  ///< plain HTTP on a non-loopback admin.listen
    int rate_limit_per_s = 20;         ///< per caller; 0 = no limit
    int rate_limit_burst = 100;
    bool push_notification = true;  ///< mail the user after an administrator's PKCS#12 push
  } admin;

  struct Sync {
    Endpoint listen;
    struct Tls {
      std::string certificate_file;  ///< empty (with key_file): plain HTTP, loopback only
      std::string key_file;
    } tls;
    bool allow_insecure_http = false;              ///< plain HTTP on a non-loopback sync.listen
    int token_lifetime_s = 3600;                   ///< sync access tokens (oauth2/token expires_in)
    bool allow_user_trusted_certificates = false;  ///< installSenderCertificate with trust: true
  } sync;

  struct Keys {
    std::string kek_file;
  } keys;

  struct Trust {
    std::string revocation;
    int crl_connect_timeout_ms = 0;
    int crl_total_timeout_ms = 0;
    std::string ocsp;  ///< off | prefer | require
    int expiry_warning_days = 30;
    bool accept_sha1 = false;
    int crl_refresh_margin_s = 3600;       ///< refresh this long before nextUpdate
    int crl_refresh_check_s = 60;          ///< how often the refresher looks
    int crl_refresh_max_backoff_s = 1800;  ///< retry delay cap after failures
  } trust;

  struct Ldap {
    std::vector<std::string> endpoints;
    int connect_timeout_ms = 5000;
    int search_timeout_ms = 10000;
    int size_limit = 10;
    int cache_ttl_s = 600;
  } ldap;

  struct Directory {
    int group_max_depth = 10;
    int group_max_members = 10000;
    int group_expansion_timeout_s = 60;
    bool harvest_certificates = true;
  } directory;

  struct Http {
    std::int64_t max_body_bytes = 0;
    int request_timeout_ms = 0;
    int max_connections = 0;
    int max_connections_per_address = 256;
    int max_header_bytes = 16384;
    int header_timeout_ms = 10000;
    int idle_timeout_ms = 60000;
  } http;

  struct Log {
    std::string level;
  } log;

  struct Server {
    int shutdown_timeout_s = 10;
  } server;

  struct Queue {
    int workers = 8;
    int poll_ms = 500;
    int lease_s = 300;
    std::vector<std::int64_t> retry_schedule_s;
    std::int64_t max_age_s = 0;
    std::int64_t delay_dsn_after_s = 0;  ///< 0 = no delay DSNs
  } queue;

  struct Mailbox {
    int default_page_size = 10;
    int max_page_size = 1000;
    std::int64_t delta_token_max_age_s = 2592000;
  } mailbox;
};

}  // namespace smimegw::config
