// directory: one blocking LDAP certificate search with libldap (ldap.hpp). Runs on a directory
// thread, never on an event loop.
#include <ldap.h>

#include <cctype>
#include <chrono>

#include "smimegw/directory/ldap.hpp"
#include "smimegw/trust/cert_io.hpp"

namespace smimegw::directory {

namespace {

using Clock = std::chrono::steady_clock;
constexpr ber_len_t kMaxIncoming = 4u * 1024 * 1024;  ///< one LDAP message from the server

struct Handle {
  LDAP* ld = nullptr;
  ~Handle() {
    if (ld) ldap_unbind_ext_s(ld, nullptr, nullptr);
  }
};

struct Message {
  LDAPMessage* m = nullptr;
  ~Message() {
    if (m) ldap_msgfree(m);
  }
};

timeval to_timeval(std::chrono::milliseconds ms) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

// Maps an LDAP result code to our error values. `slow`: the call ran into its timeout (libldap
// reports a connect that timed out as LDAP_SERVER_DOWN, like a refused one).
core::Error classify(int rc, const LdapEndpoint& ep, const std::string& step, bool slow) {
  std::string where = ep.text + ": " + step + ": " + ldap_err2string(rc);
  switch (rc) {
    case LDAP_TIMEOUT:
    case LDAP_TIMELIMIT_EXCEEDED:
      return core::Error::transient("lookup_timeout", where);
    case LDAP_SERVER_DOWN:
    case LDAP_CONNECT_ERROR:
    case LDAP_UNAVAILABLE:
    case LDAP_BUSY:
      if (slow) return core::Error::transient("lookup_timeout", where);
      return core::Error::transient("ldap_unavailable", where);
    case LDAP_DECODING_ERROR:
    case LDAP_PROTOCOL_ERROR:
    case LDAP_LOCAL_ERROR:
      return core::Error::make("ldap_garbage", where);
    default:
      return core::Error::make("ldap_error", where);
  }
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The root DSE's namingContexts: where to search when the endpoint names no base.
core::Result<std::vector<std::string>> naming_contexts(LDAP* ld, const LdapEndpoint& ep,
                                                       timeval& tv) {
  char attr[] = "namingContexts";
  char* attrs[] = {attr, nullptr};
  Message res;
  int rc = ldap_search_ext_s(ld, "", LDAP_SCOPE_BASE, "(objectClass=*)", attrs, 0, nullptr, nullptr,
                             &tv, 1, &res.m);
  if (rc != LDAP_SUCCESS) return classify(rc, ep, "root DSE", false);
  std::vector<std::string> out;
  for (auto* e = ldap_first_entry(ld, res.m); e; e = ldap_next_entry(ld, e)) {
    berval** vals = ldap_get_values_len(ld, e, "namingContexts");
    for (int i = 0; vals && vals[i]; ++i) out.emplace_back(vals[i]->bv_val, vals[i]->bv_len);
    if (vals) ldap_value_free_len(vals);
  }
  return out;
}

void take_values(LDAP* ld, LDAPMessage* entry, const LdapOptions& opt, LdapAnswer& out) {
  char* dn_raw = ldap_get_dn(ld, entry);
  std::string dn = dn_raw ? dn_raw : "";
  if (dn_raw) ldap_memfree(dn_raw);
  BerElement* ber = nullptr;
  for (char* a = ldap_first_attribute(ld, entry, &ber); a;
       a = ldap_next_attribute(ld, entry, ber)) {
    std::string name = a;
    ldap_memfree(a);
    auto base = lower(name.substr(0, name.find(';')));
    std::string attribute = base == "usersmimecertificate" ? "userSMIMECertificate"
                            : base == "usercertificate"    ? "userCertificate"
                                                           : "";
    if (attribute.empty()) continue;
    berval** vals = ldap_get_values_len(ld, entry, name.c_str());
    for (int i = 0; vals && vals[i]; ++i) {
      if (out.certificates.size() >= opt.max_values || vals[i]->bv_len > opt.max_value_bytes) {
        ++out.skipped_values;
        continue;
      }
      std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(vals[i]->bv_val),
                                          vals[i]->bv_len);
      auto certs = trust::parse_certificates(bytes);  // DER certificate or PKCS#7 certs-only
      if (!certs || certs->empty()) {
        ++out.skipped_values;
        continue;
      }
      for (const auto& c : *certs) out.certificates.push_back({c.BER_encode(), attribute, dn});
    }
    if (vals) ldap_value_free_len(vals);
  }
  if (ber) ber_free(ber, 0);
}

}  // namespace

core::Result<LdapAnswer> ldap_search_certificates(const LdapEndpoint& ep,
                                                  const std::string& address,
                                                  const LdapOptions& opt) {
  Handle h;
  if (ldap_initialize(&h.ld, ep.uri().c_str()) != LDAP_SUCCESS || !h.ld)
    return core::Error::make("bad_ldap_endpoint", ep.text + ": libldap refused the URI");
  int version = LDAP_VERSION3;
  ldap_set_option(h.ld, LDAP_OPT_PROTOCOL_VERSION, &version);
  ldap_set_option(h.ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF);
  auto connect_tv = to_timeval(opt.connect_timeout);
  auto search_tv = to_timeval(opt.search_timeout);
  ldap_set_option(h.ld, LDAP_OPT_NETWORK_TIMEOUT, &connect_tv);
  ldap_set_option(h.ld, LDAP_OPT_TIMEOUT, &search_tv);  // synchronous calls (the bind)
  int size_limit = opt.size_limit;
  ldap_set_option(h.ld, LDAP_OPT_SIZELIMIT, &size_limit);

  berval anonymous{0, nullptr};
  auto started = Clock::now();
  // Connect first, so a server that accepts the connection and then breaks the exchange (junk,
  // or a close without an LDAP answer) is told apart from one that cannot be reached: libldap
  // reports both as LDAP_SERVER_DOWN.
  int rc = ldap_connect(h.ld);
  if (rc != LDAP_SUCCESS) {
    // libldap reports a connect that timed out like a refused one: tell them apart by the time.
    bool slow = Clock::now() - started >= opt.connect_timeout;
    return classify(rc, ep, "connect", slow);
  }
  rc = ldap_sasl_bind_s(h.ld, nullptr, LDAP_SASL_SIMPLE, &anonymous, nullptr, nullptr, nullptr);
  if (rc == LDAP_SERVER_DOWN && Clock::now() - started < opt.search_timeout)
    return core::Error::make("ldap_garbage", ep.text +
                                                 ": bind: the server accepted the connection "
                                                 "but gave no valid LDAP answer");
  if (rc != LDAP_SUCCESS) {
    bool slow = Clock::now() - started >= opt.search_timeout;
    return classify(rc, ep, "bind", slow);
  }
  Sockbuf* sb = nullptr;
  if (ldap_get_option(h.ld, LDAP_OPT_SOCKBUF, &sb) == LDAP_OPT_SUCCESS && sb) {
    ber_len_t max = kMaxIncoming;
    ber_sockbuf_ctrl(sb, LBER_SB_OPT_SET_MAX_INCOMING, &max);
  }

  std::vector<std::string> bases;
  if (!ep.base_dn.empty()) {
    bases.push_back(ep.base_dn);
  } else {
    auto nc = naming_contexts(h.ld, ep, search_tv);
    if (!nc) return nc.error();
    bases = std::move(*nc);
  }
  std::string filter = "(mail=" + ldap_filter_escape(address) + ")";
  char a1[] = "userSMIMECertificate;binary", a2[] = "userSMIMECertificate",
       a3[] = "userCertificate;binary";
  char* attrs[] = {a1, a2, a3, nullptr};
  LdapAnswer answer;
  for (const auto& base : bases) {
    Message res;
    rc = ldap_search_ext_s(h.ld, base.c_str(), LDAP_SCOPE_SUBTREE, filter.c_str(), attrs, 0,
                           nullptr, nullptr, &search_tv, opt.size_limit, &res.m);
    if (rc == LDAP_NO_SUCH_OBJECT) continue;
    if (rc != LDAP_SUCCESS && rc != LDAP_SIZELIMIT_EXCEEDED)
      return classify(rc, ep, "search", false);
    for (auto* e = ldap_first_entry(h.ld, res.m); e; e = ldap_next_entry(h.ld, e)) {
      ++answer.entries;
      take_values(h.ld, e, opt, answer);
    }
  }
  if (answer.certificates.empty() && answer.skipped_values > 0)
    return core::Error::make("ldap_garbage",
                             ep.text + ": " + std::to_string(answer.skipped_values) +
                                 " certificate value(s) for " + address + " could not be read");
  return answer;
}

}  // namespace smimegw::directory
