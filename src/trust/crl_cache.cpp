// trust: the CRL cache — memory layer, CrlStore write-through, http fetch (crl_cache.hpp).
#include "smimegw/trust/crl_cache.hpp"

#include <botan/pkix_types.h>

#include <algorithm>
#include <cctype>

#include "chain_builder.hpp"
#include "smimegw/trust/cert_io.hpp"

namespace smimegw::trust {
namespace {

using detail::dn_key;

bool fresh_at(const IndexedCrl& crl, std::chrono::system_clock::time_point at) {
  return !crl.next_update() || *crl.next_update() >= at;
}

}  // namespace

Fetcher default_fetcher() {
  return [](const std::string& url, const net::FetchOptions& o) {
    return net::http_get_blocking(url, o);
  };
}

CrlCache::CrlCache(CrlStore* store, Fetcher fetcher, net::FetchOptions fetch_options)
    : store_(store), fetcher_(std::move(fetcher)), fetch_options_(fetch_options) {}

core::Status CrlCache::add(std::span<const std::uint8_t> der, const std::string& source) {
  auto crl = IndexedCrl::parse(der, source);
  if (!crl) return crl.error();
  std::lock_guard lock(mutex_);
  by_issuer_.emplace(dn_key((*crl)->crl().issuer_dn()), *crl);
  ++generation_;
  return {};
}

void CrlCache::remember(const std::string& url, std::shared_ptr<const IndexedCrl> crl) {
  std::lock_guard lock(mutex_);
  if (auto old = by_url_.find(url); old != by_url_.end()) {
    for (auto it = by_issuer_.begin(); it != by_issuer_.end(); ++it)
      if (it->second == old->second) {
        by_issuer_.erase(it);
        break;
      }
  }
  by_issuer_.emplace(dn_key(crl->crl().issuer_dn()), crl);
  by_url_[url] = std::move(crl);
  ++generation_;
}

core::Result<std::shared_ptr<const IndexedCrl>> CrlCache::fetch(const std::string& url) {
  ++fetches_;
  auto r = fetcher_(url, fetch_options_);
  if (!r) return r.error();
  const auto& body = r->body;
  auto ders =
      split_crls(std::span(reinterpret_cast<const std::uint8_t*>(body.data()), body.size()));
  if (!ders) return ders.error();
  auto crl = IndexedCrl::parse(ders->front(), url);
  if (!crl) return crl.error();
  remember(url, *crl);
  if (store_) {
    StoredCrl s{url,
                (*crl)->crl().issuer_dn().to_string(),
                (*crl)->der(),
                (*crl)->this_update(),
                (*crl)->next_update(),
                std::chrono::system_clock::now()};
    (void)store_->put_crl(s);  // the memory copy still serves; the store is a second layer
  }
  return crl;
}

core::Result<std::shared_ptr<const IndexedCrl>> CrlCache::get(const std::string& url, time_point at,
                                                              bool allow_fetch) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = by_url_.find(url); it != by_url_.end() && fresh_at(*it->second, at))
      return it->second;
  }
  if (store_) {
    auto stored = store_->find_crl(url);
    if (stored && *stored) {
      auto crl = IndexedCrl::parse((*stored)->der, url);
      if (crl && fresh_at(**crl, at)) {
        remember(url, *crl);
        return crl;
      }
    }
  }
  if (!allow_fetch) return core::Error::make("crl_unavailable", "no cached CRL for " + url);
  return fetch(url);
}

std::vector<std::shared_ptr<const IndexedCrl>> CrlCache::by_issuer(
    const Botan::X509_DN& issuer) const {
  std::vector<std::shared_ptr<const IndexedCrl>> out;
  std::lock_guard lock(mutex_);
  auto [b, e] = by_issuer_.equal_range(dn_key(issuer));
  for (auto it = b; it != e; ++it)
    if (it->second->crl().issuer_dn() == issuer) out.push_back(it->second);
  return out;
}

std::size_t CrlCache::refresh_due(time_point now, std::chrono::seconds margin) {
  std::vector<std::string> due;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [url, crl] : by_url_)
      if (crl->next_update() && *crl->next_update() - margin <= now) due.push_back(url);
  }
  std::size_t n = 0;
  for (const auto& url : due)
    if (fetch(url)) ++n;
  return n;
}

core::Result<std::shared_ptr<const IndexedCrl>> CrlCache::refresh(const std::string& url) {
  return fetch(url);
}

core::Result<std::size_t> CrlCache::load_store() {
  if (!store_) return std::size_t{0};
  auto list = store_->list_crls();
  if (!list) return list.error();
  std::size_t n = 0;
  for (const auto& row : *list) {
    auto crl = IndexedCrl::parse(row.der, row.url);
    if (!crl) continue;
    remember(row.url, *crl);
    ++n;
  }
  return n;
}

std::vector<std::pair<std::string, std::optional<CrlCache::time_point>>> CrlCache::held() const {
  std::vector<std::pair<std::string, std::optional<time_point>>> out;
  std::lock_guard lock(mutex_);
  for (const auto& [url, crl] : by_url_) out.emplace_back(url, crl->next_update());
  return out;
}

}  // namespace smimegw::trust
