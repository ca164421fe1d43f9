// smime: is_enveloped (probe.hpp).
#include "smimegw/smime/probe.hpp"

#include "entity_util.hpp"
#include "smimegw/cms/content_info.hpp"
#include "smimegw/mime/parser.hpp"

namespace smimegw::smime {

bool is_enveloped(std::string_view message, const mime::Limits& limits) {
  auto msg = mime::parse(message, limits);
  if (!msg || classify(msg->root) != EntityKind::pkcs7_mime) return false;
  const std::string type = smime_type_of(msg->root);
  if (type == "enveloped-data" || type == "authenveloped-data") return true;
  if (type == "signed-data" || type == "certs-only") return false;
  auto der = pkcs7_body(*msg, msg->root);
  if (!der) return false;
  auto ci = cms::parse_content_info(as_bytes(*der));
  return ci && (ci->content_type == cms::oid::kEnvelopedData ||
                ci->content_type == cms::oid::kAuthEnvelopedData);
}

}  // namespace smimegw::smime
