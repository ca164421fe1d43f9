// smime: report summaries.
#include "smimegw/smime/report.hpp"

namespace smimegw::smime {

std::string_view to_string(LayerKind k) {
  switch (k) {
    case LayerKind::clear_signed:
      return "clear-signed";
    case LayerKind::opaque_signed:
      return "opaque-signed";
    case LayerKind::enveloped:
      return "enveloped";
    case LayerKind::auth_enveloped:
      return "auth-enveloped";
  }
  return "unknown";
}

namespace {
bool signed_kind(LayerKind k) {
  return k == LayerKind::clear_signed || k == LayerKind::opaque_signed;
}
}  // namespace

bool Report::is_signed() const {
  for (const auto& l : layers)
    if (signed_kind(l.kind)) return true;
  return false;
}

bool Report::is_encrypted() const {
  for (const auto& l : layers)
    if (!signed_kind(l.kind)) return true;
  return false;
}

std::string Report::signature_status() const {
  if (!is_signed()) return "none";
  for (const auto& l : layers)
    if (signed_kind(l.kind) && !l.ok()) return "bad";
  return "good";
}

std::string Report::first_error() const {
  for (const auto& l : layers)
    if (!l.ok() && l.status != "not_decrypted") return l.status;
  return {};
}

}  // namespace smimegw::smime
