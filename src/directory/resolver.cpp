// directory: the resolver's flow — expansion, then GAL → installed → LDAP (resolver.hpp).
#include <boost/asio/this_coro.hpp>
#include <unordered_map>
#include <unordered_set>

#include "resolver_detail.hpp"
#include "smimegw/core/address.hpp"

namespace smimegw::directory {

namespace asio = boost::asio;
using detail::Candidate;
using detail::Target;

struct Resolver::State {
  CertificateLookup& certificates;
  GroupStore* groups;
  LdapDirectory* ldap;
  trust::Validator& validator;
  const core::Clock& clock;
  ResolverOptions options;
  asio::thread_pool validation;

  State(CertificateLookup& c, GroupStore* g, LdapDirectory* l, trust::Validator& v,
        const core::Clock& k, ResolverOptions o)
      : certificates(c),
        groups(g),
        ldap(l),
        validator(v),
        clock(k),
        options(o),
        validation(static_cast<std::size_t>(std::max(1, o.validation_threads))) {}
};

namespace {

struct Plan {
  std::vector<Target> targets;                ///< addresses to resolve, in order
  std::vector<RecipientResolution> failures;  ///< bad addresses, failed groups
  std::unordered_set<std::string> seen;

  void add(const std::string& address, std::vector<std::string> via) {
    if (!seen.insert(address).second) return;
    Target t;
    t.result.address = address;
    t.result.via = std::move(via);
    targets.push_back(std::move(t));
  }
};

void add_expansion(Plan& plan, const std::string& group, const core::Result<Expansion>& e) {
  if (!e) {
    plan.failures.push_back({group, {}, std::nullopt, "group_expansion_failed", e.error().message});
    return;
  }
  for (const auto& m : e->members) plan.add(m.member.address, m.path);
  if (e->complete()) return;
  std::string detail;
  for (const auto& p : e->problems)
    if (p.code != "cycle") detail += (detail.empty() ? "" : "; ") + p.code + ": " + p.message;
  plan.failures.push_back({group, {}, std::nullopt, "group_expansion_failed", detail});
}

std::vector<std::string> open_addresses(const std::vector<Target>& targets) {
  std::vector<std::string> out;
  for (const auto& t : targets)
    if (!t.done) out.push_back(t.result.address);
  return out;
}

}  // namespace

Resolver::Resolver(CertificateLookup& certificates, GroupStore* groups, LdapDirectory* ldap,
                   trust::Validator& validator, const core::Clock& clock, ResolverOptions options)
    : s_(std::make_unique<State>(certificates, groups, ldap, validator, clock, options)) {}

Resolver::~Resolver() {
  s_->validation.join();
}

namespace {

// Validates the pending candidates of every target, spread over the validation threads.
asio::awaitable<void> validate_pending(asio::thread_pool& pool, std::vector<Target>& targets,
                                       trust::Validator& validator,
                                       std::chrono::system_clock::time_point at,
                                       trust::RevocationMode mode, std::size_t threads) {
  std::vector<Target*> work;
  for (auto& t : targets)
    if (!t.done && !t.pending.empty()) work.push_back(&t);
  std::vector<std::function<void()>> jobs;
  std::size_t per = (work.size() + threads - 1) / std::max<std::size_t>(threads, 1);
  for (std::size_t i = 0; i < work.size(); i += per)
    jobs.push_back([&work, i, per, &validator, at, mode] {
      for (std::size_t k = i; k < std::min(work.size(), i + per); ++k)
        detail::evaluate(*work[k], validator, at, mode);
    });
  co_await detail::run_all(pool, std::move(jobs));
}

void add_gal(std::vector<Target>& targets,
             const std::vector<std::pair<std::string, UserCertificate>>& rows) {
  std::unordered_map<std::string, Target*> by_address;
  for (auto& t : targets) by_address[t.result.address] = &t;
  for (const auto& [address, cert] : rows) {
    auto it = by_address.find(address);
    if (it == by_address.end() || !cert.enabled) continue;
    std::vector<std::string> others;
    if (cert.user_address != address) others.push_back(cert.user_address);
    it->second->pending.push_back({cert.der, "gal", std::move(others)});
  }
}

void add_installed(Target& t, std::vector<InstalledCertificate> certs, bool accept_user_trusted) {
  for (auto& c : certs) {
    const bool user_trusted = accept_user_trusted && c.source == "user_trusted";
    t.pending.push_back({std::move(c.der), "installed", {}, user_trusted});
  }
}

using LdapAnswerSlot = std::optional<core::Result<LdapAnswer>>;

// A plain coroutine with by-value parameters (a capturing lambda coroutine spawned through a
// parallel group was destroyed twice under g++ 12).
asio::awaitable<LdapAnswerSlot> ldap_lookup(LdapDirectory* ldap, std::size_t index,
                                            std::string address) {
  co_return co_await ldap->lookup(index, std::move(address));
}

core::Result<LdapAnswer> answer_or_error(const LdapAnswerSlot& a, const std::exception_ptr& error) {
  if (a && !error) return *a;
  return core::Error::make("ldap_error", "LDAP lookup failed unexpectedly");
}

void add_ldap(Target& t, const LdapEndpoint& ep, const core::Result<LdapAnswer>& answer) {
  if (!answer) {
    if (t.source_error.code.empty()) t.source_error = answer.error();
    return;
  }
  for (const auto& c : answer->certificates) t.pending.push_back({c.der, "ldap:" + ep.text, {}});
}

}  // namespace

asio::awaitable<core::Result<std::vector<RecipientResolution>>> Resolver::resolve(
    std::string sender, std::vector<std::string> recipients) {
  State& s = *s_;
  auto at = s.clock.now();
  auto threads = static_cast<std::size_t>(std::max(1, s.options.validation_threads));
  Plan plan;
  std::vector<std::string> addresses;
  for (const auto& r : recipients) {
    auto a = core::Address::parse(r);
    if (a)
      addresses.push_back(a->key());
    else
      plan.failures.push_back({r, {}, std::nullopt, "bad_address", a.error().message});
  }
  std::unordered_set<std::string> groups;
  if (s.groups && !addresses.empty()) {
    auto among = co_await s.groups->groups_among(addresses);
    if (!among) co_return among.error();
    groups.insert(among->begin(), among->end());
  }
  // index loops: g++ 12 mis-destroys range-for state around co_return (docs/architecture.md)
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    const std::string a = addresses[i];
    if (!groups.count(a)) {
      plan.add(a, {});
      continue;
    }
    GroupExpander expander(*s.groups, s.options.groups);  // groups is non-empty only with a store
    auto e = co_await expander.expand(a);
    if (!e && e.error().temporary) co_return e.error();
    add_expansion(plan, a, e);
  }
  auto& targets = plan.targets;

  // 1. GAL, one query for every address
  if (!targets.empty()) {
    auto gal = co_await s.certificates.gal_certificates_batch(open_addresses(targets));
    if (!gal) co_return gal.error();
    add_gal(targets, *gal);
    co_await validate_pending(s.validation, targets, s.validator, at, s.options.revocation,
                              threads);
  }
  // 2. the sender's installed certificates
  std::string sender_key;
  if (auto sa = core::Address::parse(sender); sa) sender_key = sa->key();
  if (!sender_key.empty()) {
    for (std::size_t i = 0; i < targets.size(); ++i) {
      if (targets[i].done) continue;
      auto inst =
          co_await s.certificates.installed_certificates(sender_key, targets[i].result.address);
      if (!inst) co_return inst.error();
      add_installed(targets[i], std::move(*inst), s.options.accept_user_trusted);
    }
    co_await validate_pending(s.validation, targets, s.validator, at, s.options.revocation,
                              threads);
  }
  // 3. each LDAP endpoint, all open addresses at once
  if (s.ldap) {
    for (std::size_t i = 0; i < s.ldap->endpoints().size(); ++i) {
      std::vector<Target*> open;
      for (auto& t : targets)
        if (!t.done) open.push_back(&t);
      if (open.empty()) break;
      auto ex = co_await asio::this_coro::executor;
      using Op = decltype(asio::co_spawn(ex, std::declval<asio::awaitable<LdapAnswerSlot>>(),
                                         asio::deferred));
      std::vector<Op> ops;
      for (auto* t : open)
        ops.push_back(
            asio::co_spawn(ex, ldap_lookup(s.ldap, i, t->result.address), asio::deferred));
      auto done = co_await asio::experimental::make_parallel_group(std::move(ops))
                      .async_wait(asio::experimental::wait_for_all(), asio::use_awaitable);
      const auto& errors = std::get<1>(done);
      const auto& answers = std::get<2>(done);
      for (std::size_t k = 0; k < open.size(); ++k)
        add_ldap(*open[k], s.ldap->endpoints()[i], answer_or_error(answers[k], errors[k]));
      co_await validate_pending(s.validation, targets, s.validator, at, s.options.revocation,
                                threads);
    }
  }
  std::vector<RecipientResolution> out;
  for (auto& t : targets) {
    detail::finish_unresolved(t);
    out.push_back(std::move(t.result));
  }
  for (auto& f : plan.failures) out.push_back(std::move(f));
  co_return out;
}

}  // namespace smimegw::directory
