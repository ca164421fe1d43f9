// transport: analyse() — decrypt the top layer, verify every signature layer, and map each
// signer's codes to its RFC 7281 result and the mailbox status (inbound_verdict.hpp).
#include "smimegw/transport/inbound_verdict.hpp"

#include <algorithm>

#include "smimegw/cms/errors.hpp"
#include "smimegw/core/address.hpp"
#include "smimegw/core/time_format.hpp"
#include "smimegw/directory/certificate_service.hpp"
#include "smimegw/mime/address_list.hpp"
#include "smimegw/mime/parser.hpp"
#include "smimegw/smime/decrypt.hpp"
#include "smimegw/smime/errors.hpp"
#include "smimegw/smime/probe.hpp"

namespace smimegw::transport {
namespace {

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

/// Revocation could not be decided (a later attempt may succeed).
bool revocation_code(std::string_view c) {
  return c == "revocation_unknown" || c == "anchors_unavailable" || c == "delta_crl_unsupported" ||
         starts_with(c, "crl_") || starts_with(c, "ocsp_");
}

/// The signature structure itself is broken (retrying will not help).
bool structure_code(std::string_view c) {
  static const std::string_view codes[] = {cms::errc::kMalformed,
                                           cms::errc::kTruncated,
                                           cms::errc::kLimitExceeded,
                                           cms::errc::kUnsupportedAlgorithm,
                                           cms::errc::kUnsupportedContentType,
                                           cms::errc::kSignerCertMissing,
                                           cms::errc::kMissingContent,
                                           cms::errc::kInternal,
                                           smime::errc::kBadSignedStructure,
                                           smime::errc::kWrongSmimeType,
                                           smime::errc::kNotSigned,
                                           smime::errc::kTooManyLayers,
                                           "bad_base64",
                                           "malformed_certificate"};
  return std::find(std::begin(codes), std::end(codes), c) != std::end(codes);
}

/// The signature math failed (as opposed to the certificate being unacceptable).
bool math_code(std::string_view c) {
  return c == cms::errc::kBadSignature || c == cms::errc::kDigestMismatch ||
         c == cms::errc::kContentTypeMismatch || c == cms::errc::kWeakAlgorithm;
}

SmimeResult result_of(const std::vector<std::string>& codes) {
  if (codes.empty()) return SmimeResult::pass;
  if (std::any_of(codes.begin(), codes.end(), structure_code)) return SmimeResult::permerror;
  if (std::all_of(codes.begin(), codes.end(), revocation_code)) return SmimeResult::temperror;
  return SmimeResult::fail;
}

int severity(SmimeResult r) {
  switch (r) {
    case SmimeResult::permerror:
      return 5;
    case SmimeResult::fail:
      return 4;
    case SmimeResult::temperror:
      return 3;
    case SmimeResult::neutral:
      return 2;
    case SmimeResult::pass:
      return 1;
    case SmimeResult::none:
      return 0;
  }
  return 0;
}

std::string signature_status(const SignerVerdict& v) {
  switch (v.result) {
    case SmimeResult::pass:
      return "valid";
    case SmimeResult::temperror:
      return "unverified";
    case SmimeResult::permerror:
      return "invalid";
    case SmimeResult::fail:
      return std::any_of(v.errors.begin(), v.errors.end(), math_code) ? "invalid" : "untrusted";
    default:
      return "unknown";
  }
}

void add_unique(std::vector<std::string>& to, const std::string& code) {
  if (!code.empty() && std::find(to.begin(), to.end(), code) == to.end()) to.push_back(code);
}

std::vector<std::string> from_addresses(std::string_view message, const mime::Limits& limits) {
  std::vector<std::string> out;
  auto m = mime::parse(message, limits);
  if (!m) return out;
  for (const auto& mb : mime::parse_address_list(m->header("From")))
    out.push_back(core::ascii_lower(mb.address));
  return out;
}

SignerVerdict verdict_of(const smime::SignerReport& s, const std::string& layer,
                         const std::vector<std::string>& from) {
  SignerVerdict v;
  v.layer = layer;
  for (const auto& e : s.errors) add_unique(v.errors, e.code);
  v.result = result_of(v.errors);
  v.certificate = s.certificate;
  for (const auto& a : s.addresses)
    if (v.identifier.empty() &&
        std::find(from.begin(), from.end(), core::ascii_lower(a)) != from.end())
      v.identifier = core::ascii_lower(a);
  if (v.identifier.empty() && !s.addresses.empty())
    v.identifier = core::ascii_lower(s.addresses[0]);
  return v;
}

InboundStatus::Certificate certificate_info(const smime::SignerReport& s) {
  InboundStatus::Certificate c{s.subject, s.issuer, s.serial, "", ""};
  if (s.certificate) {
    c.not_after = core::iso8601_utc(s.certificate->not_after().to_std_timepoint());
    c.thumbprint = directory::thumbprint_of(s.certificate->BER_encode());
  }
  return c;
}

/// Fills signers and status from the inspect report of the (decrypted) message.
void verify(Analysis& a, const AnalyseOptions& o, Botan::RandomNumberGenerator& rng) {
  smime::InspectOptions io;
  io.keys = o.keys;
  io.accept_sha1 = o.accept_sha1;
  io.chain_check = o.chain_check;
  io.mime_limits = o.mime_limits;
  auto rep = smime::inspect(a.message, io, rng);
  if (!rep) {
    a.signers.push_back({SmimeResult::permerror, "", {rep.error().code}, std::nullopt, ""});
    return;
  }
  const auto from = from_addresses(a.message, o.mime_limits);
  const smime::SignerReport* first = nullptr;
  for (const auto& l : rep->layers) {
    if (l.kind != smime::LayerKind::clear_signed && l.kind != smime::LayerKind::opaque_signed)
      continue;
    const std::string kind(smime::to_string(l.kind));
    for (const auto& s : l.signers) {
      a.signers.push_back(verdict_of(s, kind, from));
      if (!first) first = &s;
    }
    if (l.signers.empty()) {
      SignerVerdict v{SmimeResult::permerror, "", {}, std::nullopt, kind};
      for (const auto& e : l.errors) add_unique(v.errors, e.code);
      if (v.errors.empty()) v.errors.push_back(l.status);
      a.signers.push_back(std::move(v));
    }
  }
  if (first) a.status.certificate = certificate_info(*first);
}

void summarise(Analysis& a) {
  InboundStatus& st = a.status;
  st.encrypted = a.encrypted;
  st.decrypted = a.decrypted;
  add_unique(st.errors, a.decrypt_error);
  if (a.encrypted && !a.decrypted) {
    st.signature_status = "unknown";
    st.result = a.decrypt_error == smime::errc::kNoDecryptionKey ||
                        a.decrypt_error == cms::errc::kNoMatchingRecipient
                    ? "neutral"
                    : "permerror";
    return;
  }
  if (a.signers.empty()) return;  // none
  st.is_signed = true;
  const SignerVerdict* worst = &a.signers.front();
  for (const auto& v : a.signers) {
    for (const auto& c : v.errors) add_unique(st.errors, c);
    if (severity(v.result) > severity(worst->result)) worst = &v;
  }
  st.signer = a.signers.front().identifier;
  st.signature_status = signature_status(*worst);
  st.result = std::string(to_string(worst->result));
}

}  // namespace

std::string_view to_string(SmimeResult r) {
  switch (r) {
    case SmimeResult::none:
      return "none";
    case SmimeResult::pass:
      return "pass";
    case SmimeResult::fail:
      return "fail";
    case SmimeResult::neutral:
      return "neutral";
    case SmimeResult::temperror:
      return "temperror";
    case SmimeResult::permerror:
      return "permerror";
  }
  return "none";
}

Analysis analyse(std::string_view message, const AnalyseOptions& options,
                 Botan::RandomNumberGenerator& rng) {
  Analysis a;
  a.encrypted = smime::is_enveloped(message, options.mime_limits);
  if (a.encrypted) {
    auto d = smime::decrypt(message, options.keys, rng, options.mime_limits);
    if (!d) {
      a.message = std::string(message);
      a.decrypt_error = d.error().code;
      summarise(a);
      return a;
    }
    a.decrypted = true;
    a.cipher = std::string(cms::display_name(d->cipher));
    a.message = std::move(d->message);
  } else {
    a.message = std::string(message);
  }
  verify(a, options, rng);
  summarise(a);
  return a;
}

}  // namespace smimegw::transport
