// The key vault against the database: the start-up check (missing / wrong KEK) and rotation —
// every key usable afterwards, and all-or-nothing when one key cannot be re-wrapped.
#include <filesystem>
#include <fstream>

#include "smimegw/directory/key_ring.hpp"
#include "vault_fixture.hpp"

using namespace vtest;
namespace fs = std::filesystem;

namespace {
fs::path kek_file(const std::string& name, std::uint8_t fill) {
  auto p = fs::temp_directory_path() / ("vault_db_" + std::to_string(::getpid()) + "_" + name);
  fs::remove(p);
  {
    std::ofstream out(p, std::ios::binary);
    std::string bytes(32, static_cast<char>(fill));
    out << bytes;
  }
  fs::permissions(p, fs::perms::owner_read | fs::perms::owner_write);
  return p;
}
}  // namespace

TEST_CASE("check_kek: no keys needs no file; stored keys need their own KEK") {
  Fixture f;
  auto missing = fs::temp_directory_path() / "vault_db_does_not_exist.bin";
  auto empty = run(directory::check_kek(f.certs, missing));
  REQUIRE(empty.ok());
  CHECK(empty->empty());

  REQUIRE(f.import("alice@contoso.test", {f.pki.issue("alice@contoso.test", "both", 1)}).ok());
  auto gone = run(directory::check_kek(f.certs, missing));
  REQUIRE_FALSE(gone.ok());
  CHECK(gone.error().code == "kek_missing");
  CHECK(gone.error().message.find(f.vault.kek_id()) != std::string::npos);

  auto wrong = kek_file("wrong", 2);
  auto mismatch = run(directory::check_kek(f.certs, wrong));
  REQUIRE_FALSE(mismatch.ok());
  CHECK(mismatch.error().code == "kek_mismatch");
  CHECK(mismatch.error().message.find(f.vault.kek_id()) != std::string::npos);

  auto right = kek_file("right", 1);
  auto ok = run(directory::check_kek(f.certs, right));
  REQUIRE(ok.ok());
  CHECK(*ok == f.vault.kek_id());
  fs::permissions(right, fs::perms::group_read, fs::perm_options::add);
  CHECK(run(directory::check_kek(f.certs, right)).error().code == "kek_insecure");
  fs::remove(wrong);
  fs::remove(right);
}

TEST_CASE("rotation re-wraps every key: all usable under the new KEK, none under the old") {
  Fixture f;
  REQUIRE(f.import("alice@contoso.test", {f.pki.issue("alice@contoso.test", "sign", 1)}).ok());
  REQUIRE(f.import("alice@contoso.test", {f.pki.issue("alice@contoso.test", "encrypt", 2)}).ok());
  REQUIRE(f.import("bob@contoso.test", {f.pki.issue("bob@contoso.test", "both", 3)}).ok());
  auto fresh = vault_of(9);
  auto n = run(directory::rotate_kek(f.certs, f.vault, fresh, "test"));
  REQUIRE(n.ok());
  CHECK(*n == 3);
  CHECK(*run(f.certs.kek_ids()) == std::vector<std::string>{fresh.kek_id()});
  CHECK(f.sql1("SELECT count(*) FROM audit_log WHERE action = 'keys.rotate'") == "1");

  f.rebuild(&fresh);
  auto a = run(f.service->export_pkcs12("alice@contoso.test", "device-password", "t"));
  REQUIRE(a.ok());
  CHECK(a->thumbprints.size() == 2);
  CHECK(run(f.service->export_pkcs12("bob@contoso.test", "device-password", "t")).ok());

  f.rebuild(&f.vault);  // the old KEK opens nothing any more
  auto old = run(f.service->export_pkcs12("bob@contoso.test", "device-password", "t"));
  REQUIRE_FALSE(old.ok());
  CHECK(old.error().code == "kek_mismatch");

  // repeating the rotation is harmless
  auto again = run(directory::rotate_kek(f.certs, f.vault, fresh, "test"));
  REQUIRE(again.ok());
  CHECK(*again == 3);
}

TEST_CASE(
    "after a rotation, a process still holding the old KEK defers: kek_mismatch is temporary") {
  Fixture f;
  REQUIRE(f.import("bob@contoso.test", {f.pki.issue("bob@contoso.test", "both", 3)}).ok());
  auto fresh = vault_of(9);
  REQUIRE(run(directory::rotate_kek(f.certs, f.vault, fresh, "test")).ok());

  // the running gateway's key ring still has the old KEK (no restart yet)
  directory::KeyRing stale(f.users, f.certs, &f.vault, f.clock);
  auto sign = run(stale.signing("bob@contoso.test"));
  REQUIRE_FALSE(sign.ok());
  CHECK(sign.error().code == "kek_mismatch");
  CHECK(sign.error().temporary);  // outbound: 451 and retried, not a bounce
  CHECK(sign.error().message.find(fresh.kek_id()) != std::string::npos);
  auto open = run(stale.decryption("bob@contoso.test"));
  REQUIRE_FALSE(open.ok());
  CHECK(open.error().temporary);  // inbound: retried, not stored undecrypted

  // an import by this process would leave one key under the old KEK: refused until the restart
  auto late = f.import("alice@contoso.test", {f.pki.issue("alice@contoso.test", "both", 4)});
  REQUIRE_FALSE(late.ok());
  CHECK(late.error().code == "kek_mismatch");
  CHECK(late.error().temporary);
  CHECK(*run(f.certs.kek_ids()) == std::vector<std::string>{fresh.kek_id()});

  directory::KeyRing restarted(f.users, f.certs, &fresh, f.clock);
  CHECK(run(restarted.signing("bob@contoso.test")).ok());
  auto keys = run(restarted.decryption("bob@contoso.test"));
  REQUIRE(keys.ok());
  CHECK(keys->size() == 1);
  f.rebuild(&fresh);
  CHECK(f.import("alice@contoso.test", {f.pki.issue("alice@contoso.test", "both", 4)}).ok());
}

TEST_CASE("a rotation that cannot re-wrap one key changes no key at all") {
  Fixture f;
  REQUIRE(f.import("alice@contoso.test", {f.pki.issue("alice@contoso.test", "both", 1)}).ok());
  REQUIRE(f.import("bob@contoso.test", {f.pki.issue("bob@contoso.test", "both", 2)}).ok());
  // bob's key is corrupted in place (last byte of the GCM tag)
  f.sql1(
      "UPDATE user_certificates SET wrapped_key = set_byte(wrapped_key, length(wrapped_key) - 1, "
      "(get_byte(wrapped_key, length(wrapped_key) - 1) + 1) % 256) WHERE user_id = (SELECT id "
      "FROM users WHERE address = 'bob@contoso.test') RETURNING 1");
  auto before = f.sql1(
      "SELECT string_agg(encode(wrapped_key, 'hex'), ',' ORDER BY id) FROM "
      "user_certificates");
  auto fresh = vault_of(9);
  auto r = run(directory::rotate_kek(f.certs, f.vault, fresh, "test"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "key_tampered");
  CHECK(f.sql1("SELECT string_agg(encode(wrapped_key, 'hex'), ',' ORDER BY id) FROM "
               "user_certificates") == before);
  CHECK(*run(f.certs.kek_ids()) == std::vector<std::string>{f.vault.kek_id()});
  CHECK(f.sql1("SELECT count(*) FROM audit_log WHERE action = 'keys.rotate'") == "0");
  // alice's key still opens with the old KEK
  CHECK(run(f.service->export_pkcs12("alice@contoso.test", "device-password", "t")).ok());
}
