// Shared fixture of the directory tests against real components: a migrated scratch PostgreSQL
// database with the PostgreSQL stores, a test PKI (smimegw pki, P-256 keys), a private slapd
// (tests/support/slapd/start.sh) and TCP listeners that never answer or answer junk.
#pragma once

#include <arpa/inet.h>
#include <botan/base64.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>

#include "../../../src/app/pki.hpp"
#include "run_sync.hpp"
#include "smimegw/db/migrations.hpp"
#include "smimegw/db/pg_certificate_store.hpp"
#include "smimegw/db/pg_group_store.hpp"
#include "smimegw/db/pg_user_store.hpp"
#include "smimegw/directory/resolver.hpp"
#include "test_env.hpp"

namespace dtest {

using namespace smimegw;
namespace fs = std::filesystem;

using smimegw::test::run;

inline fs::path temp_dir(const std::string& tag) {
  auto p = fs::temp_directory_path() /
           ("smimegw-" + tag + "-" + std::to_string(::getpid()) + "-" +
            std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  fs::create_directories(p);
  return p;
}

/// A free TCP port on 127.0.0.1 (bound once and released).
inline std::uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

/// A listener on 127.0.0.1 that accepts connections and then either never answers (junk empty)
/// or writes `junk` and keeps the connection open.
class FakeServer {
 public:
  explicit FakeServer(std::string junk = "") : junk_(std::move(junk)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(::listen(fd_, 16) == 0);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { loop(); });
  }
  ~FakeServer() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
    for (int c : clients_) ::close(c);
  }
  std::uint16_t port() const { return port_; }

 private:
  void loop() {
    while (!stop_) {
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      clients_.push_back(c);
      if (!junk_.empty()) {
        char buf[512];
        (void)::recv(c, buf, sizeof buf, 0);  // the bind request
        (void)::send(c, junk_.data(), junk_.size(), MSG_NOSIGNAL);
      }
    }
  }
  std::string junk_;
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::vector<int> clients_;
};

/// A private slapd with suffix dc=example,dc=test loaded from LDIF entries.
class Slapd {
 public:
  /// `entries`: LDIF text of the people (the base and ou=people are added here).
  explicit Slapd(const std::string& entries) : dir_(temp_dir("slapd")), port_(free_port()) {
    std::ofstream(dir_ / "data.ldif") << "dn: dc=example,dc=test\nobjectClass: dcObject\n"
                                         "objectClass: organization\no: Example\ndc: example\n\n"
                                         "dn: ou=people,dc=example,dc=test\nobjectClass: "
                                         "organizationalUnit\nou: people\n\n"
                                      << entries;
    auto script = test::source_dir() / "tests/support/slapd/start.sh";
    std::string cmd = script.string() + " " + dir_.string() + " " + std::to_string(port_) + " " +
                      (dir_ / "data.ldif").string();
    REQUIRE(std::system(cmd.c_str()) == 0);
  }
  ~Slapd() {
    stop();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  void stop() {
    std::ifstream in(dir_ / "slapd.pid");
    pid_t pid = 0;
    if (in >> pid && pid > 0) {
      ::kill(pid, SIGTERM);
      for (int i = 0; i < 100 && ::kill(pid, 0) == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    fs::remove(dir_ / "slapd.pid");
  }
  std::uint16_t port() const { return port_; }
  std::string endpoint() const { return "ldap://127.0.0.1:" + std::to_string(port_); }

 private:
  fs::path dir_;
  std::uint16_t port_;
};

/// One LDIF person entry with certificate values (attribute name → DER values).
inline std::string person(
    const std::string& cn, const std::string& mail,
    const std::vector<std::pair<std::string, std::vector<std::uint8_t>>>& values) {
  std::string out = "dn: cn=" + cn +
                    ",ou=people,dc=example,dc=test\nobjectClass: inetOrgPerson\n"
                    "cn: " +
                    cn + "\nsn: " + cn + "\nmail: " + mail + "\n";
  for (const auto& [attr, der] : values) out += attr + ":: " + Botan::base64_encode(der) + "\n";
  return out + "\n";
}

/// PKCS#7 certs-only (degenerate SignedData) holding `certs`, made by `openssl crl2pkcs7`.
inline std::vector<std::uint8_t> pkcs7_of(const std::vector<Botan::X509_Certificate>& certs) {
  auto dir = temp_dir("p7");
  std::string args;
  for (std::size_t i = 0; i < certs.size(); ++i) {
    auto p = dir / ("c" + std::to_string(i) + ".pem");
    std::ofstream(p) << certs[i].PEM_encode();
    args += " -certfile " + p.string();
  }
  std::string cmd =
      "openssl crl2pkcs7 -nocrl" + args + " -outform DER -out " + (dir / "out.p7b").string();
  REQUIRE(std::system(cmd.c_str()) == 0);
  auto bytes = test::read_file(dir / "out.p7b");
  fs::remove_all(dir);
  return {bytes.begin(), bytes.end()};
}

/// The test PKI and a validator that trusts its root and holds its CRL.
struct Pki {
  fs::path dir = temp_dir("pki");
  app::pki::Directory ca = open();
  std::unique_ptr<trust::Validator> validator;

  ~Pki() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  static app::pki::Directory make(const fs::path& d) {
    app::pki::InitOptions o;
    o.key = app::pki::KeyKind::p256;
    auto r = app::pki::Directory::init(d, o);
    REQUIRE(r.ok());
    return std::move(*r);
  }
  app::pki::Directory open() { return make(dir / "ca"); }

  Botan::X509_Certificate issue(const std::string& email,
                                app::pki::Usage usage = app::pki::Usage::both,
                                std::optional<std::chrono::system_clock::time_point> nb = {},
                                int days = 365) {
    app::pki::IssueOptions o;
    o.emails = {email};
    o.key = app::pki::KeyKind::p256;
    o.usage = usage;
    o.validity.not_before = nb;
    o.validity.days = days;
    auto r = ca.issue(o);
    REQUIRE(r.ok());
    return r->certificate;
  }
  /// Publishes a CRL (listing every revocation so far) into a fresh validator.
  trust::Validator& publish() {
    auto crl = ca.crl(nullptr, 30);
    REQUIRE(crl.ok());
    trust::ValidatorOptions opt;
    opt.fetch_aia = opt.fetch_crls = false;
    validator = std::make_unique<trust::Validator>(
        std::vector<Botan::X509_Certificate>{ca.root().certificate}, nullptr, opt);
    REQUIRE(validator->crls().add(*crl, "test").ok());
    return *validator;
  }
};

struct Fixture {
  test::ScratchDatabase scratch;
  db::Pool pool{{.url = scratch.url()}, 2};
  db::PgUserStore users{pool};
  db::PgGroupStore groups{pool};
  db::PgCertificateStore certificates{pool};

  Fixture() {
    auto conn = db::connect({.url = scratch.url()});
    REQUIRE(conn.ok());
    REQUIRE(db::migrate(**conn).ok());
  }

  std::int64_t user(const std::string& address, std::vector<std::string> proxies = {}) {
    directory::User u;
    u.address = address;
    u.proxy_addresses = std::move(proxies);
    auto id = run(users.create(u));
    REQUIRE(id.ok());
    return *id;
  }

  std::int64_t group(const std::string& address) {
    auto id = run(groups.create(address, ""));
    REQUIRE(id.ok());
    return *id;
  }

  void members(const std::string& group, std::vector<std::string> add) {
    auto r = run(groups.change_members(group, std::move(add), {}));
    REQUIRE(r.ok());
  }

  /// Publishes `cert` in the GAL for the user `user_id`.
  void gal(std::int64_t user_id, const Botan::X509_Certificate& cert) {
    directory::NewUserCertificate c;
    c.user_id = user_id;
    c.der = cert.BER_encode();
    std::string tp;
    for (char ch : cert.fingerprint("SHA-1"))
      if (ch != ':') tp += ch;
    c.thumbprint = tp;
    c.usage = directory::CertUsage::both;
    c.not_before = std::chrono::system_clock::from_time_t(cert.not_before().time_since_epoch());
    c.not_after = std::chrono::system_clock::from_time_t(cert.not_after().time_since_epoch());
    c.source = "import";
    auto r = run(certificates.add_user_certificates({c}, {}));
    REQUIRE(r.ok());
  }

  std::string sql1(const std::string& q) {
    auto r =
        pool.transact_blocking([&](pqxx::work& tx) { return tx.exec1(q)[0].as<std::string>(); });
    REQUIRE(r.ok());
    return *r;
  }
};

}  // namespace dtest
