// trust: the validation service (validator.hpp): anchors, fetched issuers, result cache.
#include "smimegw/trust/validator.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <unordered_map>

#include "chain_builder.hpp"
#include "der_scan.hpp"
#include "path_check.hpp"
#include "smimegw/cms/loaded_certificate.hpp"
#include "smimegw/trust/cert_io.hpp"
#include "smimegw/trust/smime_rules.hpp"

namespace smimegw::trust {

using detail::CertEntry;
using detail::CertIndex;

struct Anchors {
  CertIndex index;              ///< roots and intermediates
  std::set<std::string> roots;  ///< thumbprints of enabled self-signed anchors
};

struct Validator::State {
  AnchorStore* store = nullptr;
  CrlStore* crl_store = nullptr;
  ValidatorOptions opt;
  Fetcher fetcher;
  CrlCache crls;

  std::mutex mu;
  std::shared_ptr<const Anchors> anchors = std::make_shared<Anchors>();
  std::int64_t anchor_gen = -1;
  std::chrono::steady_clock::time_point last_poll{};
  std::shared_ptr<const CertIndex> fetched = std::make_shared<CertIndex>();
  bool fetched_loaded = false;
  std::uint64_t fetched_gen = 0;
  std::atomic<std::size_t> aia_fetches{0};

  struct Stamp {
    std::int64_t anchors = -1;
    std::uint64_t crls = 0, fetched = 0, ocsp = 0;
    bool operator==(const Stamp&) const = default;
  } cache_stamp;
  std::unordered_map<std::string, ValidationResult> results;

  detail::PathMemo path_memo{4096};

  OcspClient ocsp;

  State(CrlStore* cs, ValidatorOptions o, Fetcher f)
      : crl_store(cs),
        opt(o),
        fetcher(f),
        crls(cs, f, o.fetch),
        ocsp(ocsp_options(o), o.ocsp_poster ? o.ocsp_poster : default_poster()) {}

  static OcspOptions ocsp_options(const ValidatorOptions& o) {
    OcspOptions r = o.ocsp_options;
    r.fetch = o.fetch;
    r.accept_sha1 = o.accept_sha1;
    return r;
  }

  static std::shared_ptr<const Anchors> index_anchors(std::vector<Botan::X509_Certificate> certs) {
    auto a = std::make_shared<Anchors>();
    for (auto& c : certs) {
      auto e = detail::make_entry(std::move(c));
      if (self_signed(*e.cert)) a->roots.insert(e.fp);
      a->index.add(std::move(e));
    }
    return a;
  }

  // Reloads anchors from the store when its generation moved. Error: anchors_unavailable.
  core::Status refresh_anchors() {
    if (!store) return {};
    auto now = std::chrono::steady_clock::now();
    {
      std::lock_guard lock(mu);
      if (anchor_gen >= 0 && opt.anchor_poll.count() > 0 && now - last_poll < opt.anchor_poll)
        return {};
      last_poll = now;
    }
    auto gen = store->generation();
    if (!gen) return core::Error::make("anchors_unavailable", "trust anchors cannot be read");
    {
      std::lock_guard lock(mu);
      if (*gen == anchor_gen) return {};
    }
    auto list = store->list(true);
    if (!list) return core::Error::make("anchors_unavailable", "trust anchors cannot be read");
    std::vector<Botan::X509_Certificate> certs;
    for (const auto& a : *list)  // a stored anchor that no longer decodes is simply not trusted
      if (auto loaded = cms::load_certificate(a.der))
        certs.push_back(std::move(loaded->certificate));
    auto idx = index_anchors(std::move(certs));
    std::lock_guard lock(mu);
    anchors = std::move(idx);
    anchor_gen = *gen;
    return {};
  }

  void load_fetched() {
    {
      std::lock_guard lock(mu);
      if (fetched_loaded || !crl_store) return;
      fetched_loaded = true;
    }
    auto list = crl_store->fetched_certificates();
    if (!list) return;
    for (const auto& f : *list) {
      if (auto loaded = cms::load_certificate(f.der))
        add_fetched(detail::make_entry(std::move(loaded->certificate)), "", false);
    }
  }

  void add_fetched(CertEntry e, const std::string& url, bool persist) {
    {
      std::lock_guard lock(mu);
      if (fetched->contains(e.fp)) return;
      auto copy = std::make_shared<CertIndex>(*fetched);
      copy->add(e);
      fetched = std::move(copy);
      ++fetched_gen;
    }
    if (persist && crl_store) {
      StoredFetchedCertificate s{url, e.fp, e.cert->subject_dn().to_string(), e.cert->BER_encode(),
                                 std::chrono::system_clock::now()};
      (void)crl_store->put_fetched_certificate(s);
    }
  }

  std::vector<CertEntry> aia_issuers(const Botan::X509_Certificate& cert,
                                     std::set<std::string>& visited, std::size_t& budget,
                                     std::vector<Finding>& notes) {
    std::vector<CertEntry> out;
    if (!opt.fetch_aia) return out;
    for (const auto& url : detail::ca_issuer_urls(cert)) {
      if (visited.count(url)) continue;  // loop guard: each URL once per validation
      if (budget == 0) {
        notes.push_back({"aia_limit", "AIA fetch limit reached", 0});
        break;
      }
      visited.insert(url);
      --budget;
      ++aia_fetches;
      auto fo = opt.fetch;
      fo.max_bytes = std::min(fo.max_bytes, opt.max_aia_bytes);
      auto r = fetcher(url, fo);
      if (!r) {
        notes.push_back({"aia_unavailable", url + ": " + r.error().code, 0});
        continue;
      }
      auto certs = parse_certificates(
          std::span(reinterpret_cast<const std::uint8_t*>(r->body.data()), r->body.size()));
      if (!certs) {
        notes.push_back({"aia_unavailable", url + ": " + certs.error().code, 0});
        continue;
      }
      for (auto& c : *certs) {
        if (!(c.subject_dn() == cert.issuer_dn())) continue;
        auto e = detail::make_entry(std::move(c));
        add_fetched(e, url, true);
        out.push_back(std::move(e));
      }
    }
    return out;
  }

  Stamp current_stamp() {
    std::lock_guard lock(mu);
    return {anchor_gen, crls.generation(), fetched_gen, ocsp.generation()};
  }
};

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string cache_key(const ValidationRequest& r, const std::string& leaf_fp,
                      std::chrono::seconds bucket) {
  std::string k = leaf_fp;
  std::vector<std::string> extra;
  for (const auto& c : r.extra_certificates) extra.push_back(sha256_hex(c));
  std::sort(extra.begin(), extra.end());
  for (const auto& e : extra) k += "|" + e;
  k += "#" + std::string(to_string(r.operation)) + "#" + std::string(to_string(r.revocation));
  k += "#" + lower(r.address.value_or(""));
  for (const auto& p : r.proxy_addresses) k += "," + lower(p);
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(r.at.time_since_epoch()).count();
  auto b = bucket.count() > 0 ? bucket.count() : 1;
  k += "@" + std::to_string(secs >= 0 ? secs / b : (secs - b + 1) / b);
  return k;
}

}  // namespace

Validator::Validator(AnchorStore& anchors, CrlStore* crl_store, ValidatorOptions options,
                     Fetcher fetcher)
    : s_(std::make_unique<State>(crl_store, options, std::move(fetcher))) {
  s_->store = &anchors;
}

Validator::Validator(std::vector<Botan::X509_Certificate> anchors, CrlStore* crl_store,
                     ValidatorOptions options, Fetcher fetcher)
    : s_(std::make_unique<State>(crl_store, options, std::move(fetcher))) {
  s_->anchors = State::index_anchors(std::move(anchors));
  s_->anchor_gen = 0;
}

Validator::~Validator() = default;

CrlCache& Validator::crls() {
  return s_->crls;
}
OcspClient& Validator::ocsp() {
  return s_->ocsp;
}
const ValidatorOptions& Validator::options() const {
  return s_->opt;
}
std::size_t Validator::aia_fetch_count() const {
  return s_->aia_fetches.load();
}

void Validator::clear_result_cache() {
  std::lock_guard lock(s_->mu);
  s_->results.clear();
}

ValidationResult Validator::validate(const ValidationRequest& req) {
  auto& s = *s_;
  ValidationResult result;
  if (auto st = s.refresh_anchors(); !st) {
    result.errors.push_back({st.error().code, st.error().message, 0});
    return result;
  }
  s.load_fetched();

  CertEntry leaf;
  try {
    leaf = detail::make_entry(req.certificate);
  } catch (const std::exception&) {
    result.errors.push_back({"malformed_certificate", "certificate cannot be encoded", 0});
    return result;
  }
  const bool use_cache = s.opt.cache_capacity > 0;
  std::string key;
  if (use_cache) {
    key = cache_key(req, leaf.fp, s.opt.cache_bucket);
    auto stamp = s.current_stamp();
    std::lock_guard lock(s.mu);
    if (!(stamp == s.cache_stamp)) {
      s.results.clear();
      s.cache_stamp = stamp;
    }
    if (auto it = s.results.find(key); it != s.results.end()) {
      auto r = it->second;
      r.from_cache = true;
      return r;
    }
  }

  std::shared_ptr<const Anchors> anchors;
  std::shared_ptr<const CertIndex> fetched;
  {
    std::lock_guard lock(s.mu);
    anchors = s.anchors;
    fetched = s.fetched;
  }
  CertIndex extras;
  for (const auto& c : req.extra_certificates) {
    try {
      extras.add(detail::make_entry(c));
    } catch (const std::exception&) {
    }
  }

  std::set<std::string> visited_urls;
  std::size_t budget = s.opt.max_aia_fetches;
  std::vector<Finding> notes;
  detail::BuildParams params;
  params.max_depth = s.opt.max_path_depth;
  params.max_paths = s.opt.max_candidate_paths;
  params.is_anchor = [&](const CertEntry& e) { return anchors->roots.count(e.fp) > 0; };
  params.local_issuers = [&](const Botan::X509_Certificate& c) {
    std::vector<CertEntry> out;
    std::set<std::string> seen;
    auto add = [&](std::vector<CertEntry> v) {
      for (auto& e : v)
        if (seen.insert(e.fp).second) out.push_back(std::move(e));
    };
    add(extras.subjects_named(c.issuer_dn()));
    add(anchors->index.subjects_named(c.issuer_dn()));
    std::shared_ptr<const CertIndex> f;
    {
      std::lock_guard lock(s.mu);
      f = s.fetched;
    }
    add(f->subjects_named(c.issuer_dn()));
    return out;
  };
  params.aia_issuers = [&](const Botan::X509_Certificate& c) {
    return s.aia_issuers(c, visited_urls, budget, notes);
  };

  detail::BuildResult built;
  try {
    built = detail::build_paths(leaf, params);
  } catch (const std::exception&) {
    result.errors.push_back(
        {"malformed_certificate", "chain building failed on undecodable data", 0});
    return result;
  }

  if (built.paths.empty()) {
    const auto& partial = built.longest.empty() ? std::vector<CertEntry>{leaf} : built.longest;
    for (const auto& e : partial) result.chain.push_back(e.cert->subject_dn().to_string());
    if (built.untrusted_root)
      result.errors.push_back(
          {"untrusted_root", "the chain ends at a root that is not trusted", partial.size() - 1});
    else if (built.too_deep)
      result.errors.push_back({"path_too_deep", "no trusted path within the depth limit", 0});
    else
      result.errors.push_back(
          {"chain_incomplete",
           "issuer of " + partial.back().cert->subject_dn().to_string() + " not found",
           partial.size() - 1});
    for (auto& n : notes) result.warnings.push_back(n);
    for (auto& f : check_smime_rules(*leaf.cert, req.operation, req.address, req.proxy_addresses))
      result.errors.push_back(std::move(f));
  } else {
    std::optional<detail::PathVerdict> best;
    std::size_t best_index = 0;
    for (std::size_t i = 0; i < built.paths.size(); ++i) {
      auto v = detail::check_path(built.paths[i], req, s.opt, s.crls, &s.path_memo, &s.ocsp);
      bool better = !best || v.errors.size() < best->errors.size();
      if (better) {
        best = std::move(v);
        best_index = i;
      }
      if (best->errors.empty()) break;
    }
    for (const auto& e : built.paths[best_index])
      result.chain.push_back(e.cert->subject_dn().to_string());
    result.errors = std::move(best->errors);
    result.warnings = std::move(best->warnings);
    result.revocation_sources = std::move(best->revocation_sources);
  }
  result.emails = certificate_emails(*leaf.cert);
  result.valid = result.errors.empty();

  if (use_cache) {
    auto stamp = s.current_stamp();
    std::lock_guard lock(s.mu);
    if (!(stamp == s.cache_stamp)) {
      s.results.clear();
      s.cache_stamp = stamp;
    }
    if (s.results.size() >= s.opt.cache_capacity) s.results.clear();
    s.results.emplace(std::move(key), result);
  }
  return result;
}

}  // namespace smimegw::trust
