#include "smimegw/http/auth.hpp"

#include <botan/base64.h>
#include <botan/hash.h>
#include <botan/hex.h>
#include <botan/system_rng.h>

#include <cctype>
#include <fstream>

namespace smimegw::http {

namespace {
constexpr std::size_t kMinFileTokenLength = 20;
}

std::string_view to_string(AuthKind k) {
  switch (k) {
    case AuthKind::None:
      return "none";
    case AuthKind::Admin:
      return "admin";
    case AuthKind::Sync:
      return "sync";
  }
  return "none";
}

std::string bearer_token(const Request& req) {
  auto h = req.header("authorization");
  constexpr std::string_view scheme = "bearer ";
  if (h.size() <= scheme.size()) return "";
  for (std::size_t i = 0; i < scheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(h[i])) != scheme[i]) return "";
  auto token = h.substr(scheme.size());
  auto b = token.find_first_not_of(' ');
  auto e = token.find_last_not_of(' ');
  if (b == std::string::npos) return "";
  return token.substr(b, e - b + 1);
}

std::string generate_token() {
  std::uint8_t bytes[32];
  Botan::system_rng().randomize(bytes, sizeof bytes);
  std::string b64 = Botan::base64_encode(bytes, sizeof bytes);
  std::string out = "smgw_";
  for (char c : b64) {
    if (c == '=') break;
    out += c == '+' ? '-' : c == '/' ? '_' : c;
  }
  return out;
}

std::string token_hash(std::string_view token) {
  auto h = Botan::HashFunction::create_or_throw("SHA-256");
  h->update(reinterpret_cast<const std::uint8_t*>(token.data()), token.size());
  return Botan::hex_encode(h->final(), false);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

core::Result<std::vector<std::pair<std::string, std::string>>> load_tokens_file(
    const std::string& path) {
  std::ifstream in(path);
  if (!in) return core::Error::make("tokens_file", "admin.tokens_file " + path + ": cannot read");
  std::vector<std::pair<std::string, std::string>> out;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto b = line.find_first_not_of(" \t");
    if (b == std::string::npos || line[b] == '#') continue;
    auto rest = line.substr(b);
    auto sp = rest.find_first_of(" \t");
    std::string name = "line" + std::to_string(n), token = rest;
    if (sp != std::string::npos) {
      name = rest.substr(0, sp);
      auto t = rest.find_first_not_of(" \t", sp);
      token = t == std::string::npos ? "" : rest.substr(t);
      auto e = token.find_last_not_of(" \t");
      token = e == std::string::npos ? "" : token.substr(0, e + 1);
    }
    if (token.size() < kMinFileTokenLength)
      return core::Error::make("tokens_file", "admin.tokens_file " + path + " line " +
                                                  std::to_string(n) + ": token shorter than " +
                                                  std::to_string(kMinFileTokenLength) +
                                                  " characters");
    out.emplace_back("file:" + name, token_hash(token));
  }
  return out;
}

TokenAuthenticator::TokenAuthenticator(ApiTokenStore* store,
                                       std::vector<std::pair<std::string, std::string>> file)
    : store_(store), file_(std::move(file)) {}

boost::asio::awaitable<core::Result<Principal>> TokenAuthenticator::authenticate(
    AuthKind kind, std::string token) {
  const auto refused = core::Error::make("unauthorized", "missing or invalid bearer token");
  if (token.empty() || token.size() > 512 || kind != AuthKind::Admin) co_return refused;
  auto hash = token_hash(token);
  // File tokens: every entry is compared, so the time does not depend on which one matched.
  const std::pair<std::string, std::string>* match = nullptr;
  for (const auto& entry : file_)
    if (constant_time_equal(entry.second, hash)) match = &entry;
  if (match) co_return Principal{match->first, std::nullopt, std::nullopt};
  if (!store_) co_return refused;
  // The database finds the row by the hash (an index lookup on a value the caller cannot choose
  // bytes of); the returned hash is compared again in constant time.
  std::string kind_name = "admin";
  auto found = co_await store_->find_active(kind_name, hash);
  if (!found) co_return found.error();
  if (!*found || !constant_time_equal((*found)->hash, hash)) co_return refused;
  co_return Principal{(*found)->name, (*found)->id, std::nullopt};
}

}  // namespace smimegw::http
