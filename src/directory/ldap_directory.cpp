// directory: LdapDirectory — the searches on their own threads and the answer cache (ldap.hpp).
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "smimegw/directory/ldap.hpp"

namespace smimegw::directory {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

struct LdapDirectory::State {
  std::vector<LdapEndpoint> endpoints;
  LdapOptions options;
  asio::thread_pool threads;
  std::mutex mutex;
  struct Cached {
    Clock::time_point expires;
    LdapAnswer answer;
  };
  std::unordered_map<std::string, Cached> cache;  ///< key: endpoint index + '\n' + address
  std::atomic<std::size_t> hits{0}, searches{0};

  State(std::vector<LdapEndpoint> e, LdapOptions o)
      : endpoints(std::move(e)), options(o), threads(static_cast<std::size_t>(o.threads)) {}

  std::optional<LdapAnswer> cached(const std::string& key) {
    std::lock_guard lock(mutex);
    auto it = cache.find(key);
    if (it == cache.end()) return std::nullopt;
    if (Clock::now() >= it->second.expires) {
      cache.erase(it);
      return std::nullopt;
    }
    ++hits;
    auto a = it->second.answer;
    a.from_cache = true;
    return a;
  }

  void remember(const std::string& key, const LdapAnswer& answer) {
    if (options.cache_ttl.count() <= 0 || options.cache_capacity == 0) return;
    std::lock_guard lock(mutex);
    auto now = Clock::now();
    if (cache.size() >= options.cache_capacity) {
      std::erase_if(cache, [&](const auto& kv) { return kv.second.expires <= now; });
      if (cache.size() >= options.cache_capacity) cache.erase(cache.begin());
    }
    cache[key] = Cached{now + options.cache_ttl, answer};
  }
};

LdapDirectory::LdapDirectory(std::vector<LdapEndpoint> endpoints, LdapOptions options)
    : s_(std::make_unique<State>(std::move(endpoints), options)) {}

LdapDirectory::~LdapDirectory() {
  s_->threads.join();
}

const std::vector<LdapEndpoint>& LdapDirectory::endpoints() const {
  return s_->endpoints;
}

std::size_t LdapDirectory::cache_hits() const {
  return s_->hits;
}

std::size_t LdapDirectory::searches() const {
  return s_->searches;
}

namespace {

using AnswerSlot = std::optional<core::Result<LdapAnswer>>;

// The blocking search as a plain coroutine with by-value parameters, spawned on the LDAP threads.
// (A capturing lambda coroutine handed to co_spawn was destroyed twice under g++ 12.)
asio::awaitable<AnswerSlot> search_task(LdapEndpoint endpoint, std::string address,
                                        LdapOptions options, std::atomic<std::size_t>* searches) {
  ++*searches;
  co_return ldap_search_certificates(endpoint, address, options);
}

}  // namespace

asio::awaitable<core::Result<LdapAnswer>> LdapDirectory::lookup(std::size_t index,
                                                                std::string address) {
  if (index >= s_->endpoints.size())
    co_return core::Error::make("bad_ldap_endpoint", "no LDAP endpoint " + std::to_string(index));
  std::string key = std::to_string(index) + "\n" + address;
  if (auto hit = s_->cached(key)) co_return std::move(*hit);
  // co_spawn needs a default-constructible value type, hence the optional.
  auto task = search_task(s_->endpoints[index], address, s_->options, &s_->searches);
  auto executor = s_->threads.get_executor();
  AnswerSlot r = co_await asio::co_spawn(executor, std::move(task), asio::use_awaitable);
  if (!r) co_return core::Error::make("ldap_error", "LDAP lookup failed unexpectedly");
  if (r->ok()) s_->remember(key, **r);
  co_return std::move(*r);
}

}  // namespace smimegw::directory
