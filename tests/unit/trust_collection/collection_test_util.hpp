// Test support for the virtual certificate collection: certificates made with Botan, an
// in-memory AnchorStore, and byte-level builders for PKCS#7 certs-only and serialized stores.
#pragma once

#include <botan/x509cert.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "smimegw/trust/anchor_store.hpp"

namespace smimegw::test {

using Bytes = std::vector<std::uint8_t>;

struct TestCert {
  Botan::X509_Certificate cert;
  Bytes der() const { return cert.BER_encode(); }
  std::string pem() const { return cert.PEM_encode(); }
};

/// A self-signed CA (or, with ca=false, a self-signed end-entity certificate).
TestCert make_self_signed(const std::string& cn, bool ca, std::chrono::hours start_offset,
                          std::chrono::hours end_offset);
inline TestCert make_root(const std::string& cn) {
  return make_self_signed(cn, true, std::chrono::hours(-1), std::chrono::hours(24 * 365));
}
/// An intermediate CA signed by a fresh root; returns {root, intermediate}.
std::pair<TestCert, TestCert> make_root_and_intermediate(const std::string& cn);

/// ContentInfo(SignedData) certs-only around the given DER certificates (RFC 8551 §3.2.2).
Bytes pkcs7_certs_only(const std::vector<Bytes>& certs);

/// Serialized-store builder: header, then elements appended in order.
struct StoreBuilder {
  Bytes bytes{0, 0, 0, 0, 'C', 'E', 'R', 'T'};
  StoreBuilder& element(std::uint32_t prop, const Bytes& value, std::uint32_t encoding = 1);
  StoreBuilder& end() { return element(0, {}, 0); }
};

/// AnchorStore in memory, with the same duplicate/not_found semantics as PgAnchorStore.
class MemoryAnchorStore final : public trust::AnchorStore {
 public:
  core::Result<std::int64_t> add(const trust::StoredAnchor& a) override;
  core::Result<std::vector<trust::StoredAnchor>> list(bool enabled_only) override;
  core::Result<std::optional<trust::StoredAnchor>> find(std::int64_t id) override;
  core::Status set_enabled(std::int64_t id, bool enabled) override;
  core::Status remove(std::int64_t id) override;
  core::Result<std::int64_t> generation() override { return generation_; }
  bool fail_next_add = false;

 private:
  std::map<std::int64_t, trust::StoredAnchor> rows_;
  std::int64_t next_id_ = 1, generation_ = 1;
};

}  // namespace smimegw::test
