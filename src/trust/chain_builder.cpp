// trust: path search (chain_builder.hpp).
#include "chain_builder.hpp"

#include <algorithm>
#include <cctype>

#include "smimegw/trust/cert_io.hpp"

namespace smimegw::trust::detail {

CertEntry make_entry(Botan::X509_Certificate cert) {
  CertEntry e;
  e.fp = sha256_hex(cert);
  e.cert = std::make_shared<const Botan::X509_Certificate>(std::move(cert));
  return e;
}

// Attribute values lower-cased with whitespace runs collapsed and trimmed, attributes sorted: the
// index key only has to put names that Botan's X509_DN == (RFC 5280 §7.1 comparison; Botan 2
// compares the attribute multisets, so the order of the RDNs does not matter) into one bucket.
std::string dn_key(const Botan::X509_DN& dn) {
  std::vector<std::string> parts;
  for (const auto& [oid, value] : dn.dn_info()) {
    std::string v = oid.to_string() + "=";
    bool space = false, started = false;
    for (unsigned char c : value.value()) {
      if (std::isspace(c)) {
        space = started;
        continue;
      }
      if (space) v += ' ';
      space = false;
      started = true;
      v += static_cast<char>(std::tolower(c));
    }
    parts.push_back(std::move(v));
  }
  std::sort(parts.begin(), parts.end());
  std::string out;
  for (const auto& p : parts) out += p + ";";
  return out;
}

bool CertIndex::add(CertEntry e) {
  if (!fps_.insert(e.fp).second) return false;
  by_subject_.emplace(dn_key(e.cert->subject_dn()), std::move(e));
  return true;
}

std::vector<CertEntry> CertIndex::subjects_named(const Botan::X509_DN& dn) const {
  std::vector<CertEntry> out;
  auto [b, e] = by_subject_.equal_range(dn_key(dn));
  for (auto it = b; it != e; ++it)
    if (it->second.cert->subject_dn() == dn) out.push_back(it->second);
  return out;
}

void order_candidates(const Botan::X509_Certificate& cert, std::vector<CertEntry>& c) {
  const auto& aki = cert.authority_key_id();
  auto rank = [&](const CertEntry& e) {
    const auto& ski = e.cert->subject_key_id();
    if (aki.empty() || ski.empty()) return 1;
    return aki == ski ? 0 : 2;
  };
  std::stable_sort(c.begin(), c.end(),
                   [&](const CertEntry& a, const CertEntry& b) { return rank(a) < rank(b); });
}

namespace {

struct Search {
  const BuildParams& p;
  BuildResult& out;
  std::vector<CertEntry> path;

  bool in_path(const std::string& fp) const {
    return std::any_of(path.begin(), path.end(), [&](const CertEntry& e) { return e.fp == fp; });
  }

  void dead_end() {
    if (path.size() > out.longest.size()) out.longest = path;
  }

  void try_all(const std::vector<CertEntry>& candidates) {
    for (const auto& c : candidates) {
      if (out.paths.size() >= p.max_paths) return;
      if (in_path(c.fp)) continue;
      path.push_back(c);
      step();
      path.pop_back();
    }
  }

  void step() {
    const CertEntry cur = path.back();  // a copy: path grows below
    if (p.is_anchor(cur)) {
      out.paths.push_back(path);
      return;
    }
    if (self_signed(*cur.cert)) {
      out.untrusted_root = true;
      dead_end();
      return;
    }
    if (path.size() >= p.max_depth) {
      out.too_deep = true;
      dead_end();
      return;
    }
    const std::size_t before = out.paths.size();
    auto local = p.local_issuers(*cur.cert);
    order_candidates(*cur.cert, local);
    try_all(local);
    if (out.paths.size() == before && p.aia_issuers) {
      auto fetched = p.aia_issuers(*cur.cert);
      std::erase_if(fetched, [&](const CertEntry& f) {
        return std::any_of(local.begin(), local.end(),
                           [&](const CertEntry& l) { return l.fp == f.fp; });
      });
      order_candidates(*cur.cert, fetched);
      try_all(fetched);
    }
    if (out.paths.size() == before) dead_end();
  }
};

}  // namespace

BuildResult build_paths(const CertEntry& leaf, const BuildParams& params) {
  BuildResult out;
  Search s{params, out, {leaf}};
  s.step();
  return out;
}

}  // namespace smimegw::trust::detail
