// trust: the OCSP client — request, POST, verify, cache until nextUpdate (ocsp.hpp).
#include <botan/hex.h>

#include "smimegw/trust/ocsp.hpp"

namespace smimegw::trust {

std::string_view to_string(OcspMode mode) {
  switch (mode) {
    case OcspMode::off:
      return "off";
    case OcspMode::prefer:
      return "prefer";
    case OcspMode::require:
      break;
  }
  return "require";
}

std::optional<OcspMode> parse_ocsp_mode(std::string_view s) {
  if (s == "off") return OcspMode::off;
  if (s == "prefer") return OcspMode::prefer;
  if (s == "require") return OcspMode::require;
  return std::nullopt;
}

Poster default_poster() {
  return [](const std::string& url, const std::string& type, const std::string& body,
            const net::FetchOptions& o) { return net::http_post_blocking(url, type, body, o); };
}

OcspClient::OcspClient(OcspOptions options, Poster poster)
    : opt_(options), poster_(std::move(poster)) {}

core::Result<OcspAnswer> OcspClient::check(const std::string& url,
                                           const Botan::X509_Certificate& cert,
                                           const Botan::X509_Certificate& issuer, time_point at,
                                           bool allow_fetch) {
  const std::string key = url + "|" +
                          Botan::hex_encode(issuer.subject_public_key_bitstring_sha1()) + "|" +
                          Botan::hex_encode(cert.serial_number());
  {
    std::lock_guard lock(mu_);
    if (auto it = cache_.find(key); it != cache_.end()) {
      const auto& a = it->second.answer;
      if (at <= it->second.expires && a.this_update <= at + opt_.clock_skew) {
        OcspAnswer copy = a;
        copy.from_cache = true;
        return copy;
      }
    }
  }
  if (!allow_fetch)
    return core::Error::make("ocsp_unavailable", "no cached OCSP answer for " + url);
  auto request = make_ocsp_request(cert, issuer);
  auto fo = opt_.fetch;
  fo.max_bytes = std::min(fo.max_bytes, opt_.max_bytes);
  ++requests_;
  auto r =
      poster_(url, "application/ocsp-request", std::string(request.begin(), request.end()), fo);
  if (!r)
    return core::Error::make("ocsp_unavailable",
                             url + ": " + r.error().code + " " + r.error().message);
  const auto& body = r->body;
  auto answer = verify_ocsp_response(
      std::span(reinterpret_cast<const std::uint8_t*>(body.data()), body.size()), cert, issuer, at,
      opt_);
  if (!answer) return core::Error::make(answer.error().code, url + ": " + answer.error().message);
  answer->url = url;
  if (opt_.cache_capacity > 0) {
    std::lock_guard lock(mu_);
    if (cache_.size() >= opt_.cache_capacity) cache_.clear();
    auto expires = answer->next_update ? *answer->next_update : answer->this_update + opt_.max_age;
    cache_[key] = {*answer, expires};
  }
  ++generation_;
  return answer;
}

}  // namespace smimegw::trust
