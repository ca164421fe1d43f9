// The settings table. Add a key here and it is parsed, validated, dumped and documented.
#include <algorithm>

#include "smimegw/config/settings.hpp"

namespace smimegw::config {
namespace {

template <class T, class U>
void assign(T& dst, const U& src) {
  if constexpr (std::is_arithmetic_v<T> && std::is_arithmetic_v<U>)
    dst = static_cast<T>(src);
  else
    dst = src;
}

#define SMIMEGW_BIND(path, alt) \
  [](Config& c, const Value& v) { assign(c.path, std::get<alt>(v)); }

using S = std::string;
using I = std::int64_t;
using L = std::vector<std::string>;
using IL = std::vector<std::int64_t>;
constexpr std::int64_t kMaxPort = 65535;

const std::vector<Setting>& table() {
  static const std::vector<Setting> rows = {
      // organization
      {"organization.name", Type::String, "Contoso", 0, 0, {}, false, false,
       "Organisation name, used in generated messages (DSNs, notifications).",
       SMIMEGW_BIND(organization.name, S)},
      {"organization.tenant_id", Type::String, "00000000-0000-0000-0000-000000000000", 0, 0, {},
       false, false, "Tenant GUID written as SiteId into msip_labels headers.",
       SMIMEGW_BIND(organization.tenant_id, S)},
      {"organization.hostname", Type::String, "mx.contoso.test", 0, 0, {}, false, false,
       "Host name the gateway announces in SMTP greetings, Received and Authentication-Results.",
       SMIMEGW_BIND(organization.hostname, S)},
      {"organization.accepted_domains", Type::DomainList, "[contoso.test]", 0, 0, {}, false, true,
       "Domains whose mail is internal: delivered to the local mailbox store; everything else is "
       "external.",
       SMIMEGW_BIND(organization.accepted_domains, L)},
      // database
      {"database.url", Type::String, "", 0, 0, {}, true, false,
       "libpq connection URI or key=value string. Empty: the private cluster that scripts/run.sh "
       "starts under var/pg. Override with SMIMEGW_DATABASE_URL.",
       SMIMEGW_BIND(database.url, S)},
      {"database.password_file", Type::Path, "", 0, 0, {}, false, false,
       "File whose first line is the database password (kept out of the URL and out of dumps).",
       nullptr},
      {"database.connect_timeout_s", Type::Int, "30", 1, 3600, {}, false, false,
       "How long `serve` retries an unreachable database at start (exponential backoff) before it "
       "exits non-zero.",
       SMIMEGW_BIND(database.connect_timeout_s, I)},
      {"database.pool_size", Type::Int, "4", 1, 64, {}, false, false,
       "Database worker threads, one connection each.", SMIMEGW_BIND(database.pool_size, I)},
      {"database.statement_timeout_ms", Type::Int, "30000", 100, 3600000, {}, false, false,
       "Server-side statement_timeout for every pooled connection.",
       SMIMEGW_BIND(database.statement_timeout_ms, I)},
      // smtp
      {"smtp.inbound.listen", Type::Endpoint, "0.0.0.0:2525", 0, 0, {}, false, false,
       "Inbound SMTP listener (the role of port 25; Docker maps 25 onto it).",
       SMIMEGW_BIND(smtp.inbound.listen, Endpoint)},
      {"smtp.submission.listen", Type::Endpoint, "0.0.0.0:2587", 0, 0, {}, false, false,
       "Submission listener with STARTTLS and AUTH (the role of port 587).",
       SMIMEGW_BIND(smtp.submission.listen, Endpoint)},
      {"smtp.tls.certificate_file", Type::Path, "", 0, 0, {}, false, false,
       "PEM certificate chain offered by STARTTLS.", SMIMEGW_BIND(smtp.tls.certificate_file, S)},
      {"smtp.tls.key_file", Type::Path, "", 0, 0, {}, false, false,
       "PEM private key for STARTTLS (a path; the key itself is never logged).",
       SMIMEGW_BIND(smtp.tls.key_file, S)},
      {"smtp.limits.max_message_bytes", Type::Int, "36700160", 1024, 1073741824, {}, false, true,
       "Largest message accepted (advertised in EHLO SIZE).",
       SMIMEGW_BIND(smtp.limits.max_message_bytes, I)},
      {"smtp.limits.max_recipients", Type::Int, "500", 1, 100000, {}, false, true,
       "Most recipients per message (more: 452 4.5.3).", SMIMEGW_BIND(smtp.limits.max_recipients, I)},
      {"smtp.limits.max_connections", Type::Int, "1000", 1, 100000, {}, false, false,
       "Concurrent SMTP connections per listener (more: 421 4.7.0 at the greeting).",
       SMIMEGW_BIND(smtp.limits.max_connections, I)},
      {"smtp.limits.max_connections_per_address", Type::Int, "20", 1, 100000, {}, false, false,
       "Concurrent SMTP connections from one client address.",
       SMIMEGW_BIND(smtp.limits.max_connections_per_address, I)},
      {"smtp.limits.command_timeout_s", Type::Int, "300", 1, 3600, {}, false, true,
       "Time to wait for the next command (RFC 5321 §4.5.3.2: at least 5 minutes).",
       SMIMEGW_BIND(smtp.limits.command_timeout_s, I)},
      {"smtp.limits.data_timeout_s", Type::Int, "600", 1, 3600, {}, false, true,
       "Time to wait for each block of message data.", SMIMEGW_BIND(smtp.limits.data_timeout_s, I)},
      {"smtp.limits.max_errors", Type::Int, "10", 1, 1000, {}, false, true,
       "Erroneous commands per session before it is closed with 421.",
       SMIMEGW_BIND(smtp.limits.max_errors, I)},
      {"smtp.allow_auth_without_tls", Type::Bool, "false", 0, 0, {}, false, false,
       "Testing only: offer AUTH on submission before STARTTLS, and only to loopback clients.",
       SMIMEGW_BIND(smtp.allow_auth_without_tls, bool)},
      // relay
      {"relay.smarthost", Type::String, "", 0, 0, {}, false, true,
       "host:port that receives all external mail not matched by relay.routes. Empty: external "
       "mail waits in the queue (delivery by MX lookup is not supported).",
       SMIMEGW_BIND(relay.smarthost, S)},
      {"relay.tls", Type::Enum, "opportunistic", 0, 0, {"none", "opportunistic", "required"}, false,
       true, "TLS towards the smarthost.", SMIMEGW_BIND(relay.tls, S)},
      {"relay.routes", Type::RouteList, "[]", 0, 0, {}, false, true,
       "Per-domain routes: a list of {domain, host: \"host:port\", tls: none|opportunistic|required}.",
       SMIMEGW_BIND(relay.routes, std::vector<Route>)},
      // admin / sync / http
      {"admin.listen", Type::Endpoint, "127.0.0.1:8443", 0, 0, {}, false, false,
       "Admin REST API, /healthz, /readyz and /metrics. Loopback by default.",
       SMIMEGW_BIND(admin.listen, Endpoint)},
      {"admin.tokens_file", Type::Path, "", 0, 0, {}, false, false,
       "File of admin bearer tokens, one per line (in addition to tokens created in the database).",
       SMIMEGW_BIND(admin.tokens_file, S)},
      {"sync.listen", Type::Endpoint, "0.0.0.0:8444", 0, 0, {}, false, false,
       "Graph-style sync API for mobile clients.", SMIMEGW_BIND(sync.listen, Endpoint)},
      {"http.max_body_bytes", Type::Int, "52428800", 1024, 1073741824, {}, false, true,
       "Largest HTTP request body.", SMIMEGW_BIND(http.max_body_bytes, I)},
      {"http.request_timeout_ms", Type::Int, "30000", 100, 600000, {}, false, true,
       "Time allowed to read one HTTP request (slow clients are cut off).",
       SMIMEGW_BIND(http.request_timeout_ms, I)},
      {"http.max_connections", Type::Int, "1024", 1, 100000, {}, false, true,
       "Concurrent HTTP connections per listener; more are closed at accept.",
       SMIMEGW_BIND(http.max_connections, I)},
      // keys / trust / ldap
      {"keys.kek_file", Type::Path, "var/kek.bin", 0, 0, {}, false, false,
       "Key-encryption key (32 random bytes, mode 0600) that wraps every stored private key. "
       "Never stored in the database.",
       SMIMEGW_BIND(keys.kek_file, S)},
      {"trust.revocation", Type::Enum, "require", 0, 0, {"require", "prefer", "off"}, false, true,
       "require: no reachable CRL and no fresh cached copy makes a certificate untrusted.",
       SMIMEGW_BIND(trust.revocation, S)},
      {"trust.crl_connect_timeout_ms", Type::Int, "60000", 100, 600000, {}, false, true,
       "CRL download connection timeout.", SMIMEGW_BIND(trust.crl_connect_timeout_ms, I)},
      {"trust.crl_total_timeout_ms", Type::Int, "10000", 100, 600000, {}, false, true,
       "CRL download total retrieval timeout.", SMIMEGW_BIND(trust.crl_total_timeout_ms, I)},
      {"ldap.endpoints", Type::StringList, "[]", 0, 0, {}, false, true,
       "LDAP directories searched for recipient certificates: ldap://host[:port], "
       "ldaps://host[:port], host[:port].",
       SMIMEGW_BIND(ldap.endpoints, L)},
      // log / server
      {"log.level", Type::Enum, "info", 0, 0, {"trace", "debug", "info", "warn", "error"}, false,
       true, "Least severe level written to standard error.", SMIMEGW_BIND(log.level, S)},
      {"server.shutdown_timeout_s", Type::Int, "10", 1, 300, {}, false, false,
       "On SIGTERM/SIGINT: stop accepting, let in-flight work finish for at most this long, exit 0.",
       SMIMEGW_BIND(server.shutdown_timeout_s, I)},
      // queue
      {"queue.workers", Type::Int, "8", 1, 256, {}, false, false,
       "Concurrent delivery loops of this instance.", SMIMEGW_BIND(queue.workers, I)},
      {"queue.poll_ms", Type::Int, "500", 10, 60000, {}, false, true,
       "How often an idle delivery loop looks for due work (commits of this instance wake it at "
       "once; other instances' commits are seen at the next poll).",
       SMIMEGW_BIND(queue.poll_ms, I)},
      {"queue.lease_s", Type::Int, "300", 10, 86400, {}, false, true,
       "How long a claimed recipient stays reserved for this instance; a crashed instance's work "
       "is taken over after it.",
       SMIMEGW_BIND(queue.lease_s, I)},
      {"queue.retry_schedule_s", Type::IntList, "[60, 300, 900, 1800, 3600, 7200]", 1, 86400, {},
       false, true,
       "Delays before the 1st, 2nd, ... retry of a temporary failure; the last repeats.",
       SMIMEGW_BIND(queue.retry_schedule_s, IL)},
      {"queue.max_age_s", Type::Int, "172800", 60, 2592000, {}, false, true,
       "A message still undelivered after this long fails with a DSN to its sender (default 2 "
       "days).",
       SMIMEGW_BIND(queue.max_age_s, I)},
  };
  return rows;
}

}  // namespace

std::span<const Setting> settings() { return table(); }

const Setting* find_setting(std::string_view key) {
  const auto& rows = table();
  auto it = std::find_if(rows.begin(), rows.end(), [&](const Setting& s) { return s.key == key; });
  return it == rows.end() ? nullptr : &*it;
}

std::string_view type_name(Type t) {
  switch (t) {
    case Type::String: return "string";
    case Type::Int: return "integer";
    case Type::Bool: return "boolean";
    case Type::Endpoint: return "host:port";
    case Type::Enum: return "enum";
    case Type::StringList: return "list of strings";
    case Type::DomainList: return "list of domains";
    case Type::RouteList: return "list of routes";
    case Type::Path: return "path";
    case Type::IntList: return "list of integers";
  }
  return "?";
}

}  // namespace smimegw::config
