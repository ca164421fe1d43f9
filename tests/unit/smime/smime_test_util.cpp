#include "smime_test_util.hpp"

#include <botan/auto_rng.h>
#include <botan/pkcs8.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

namespace smimegw::test {

namespace {
/// Removes the test PKI directory when the process ends.
struct WorkDir {
  std::filesystem::path path;
  WorkDir()
      : path(std::filesystem::temp_directory_path() /
             ("smimegw-smime-test-" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(path);
  }
  ~WorkDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};
}  // namespace

const std::filesystem::path& smime_work_dir() {
  static const WorkDir dir;
  return dir.path;
}

int sh(const std::string& cmd) {
  const std::string full = "cd '" + smime_work_dir().string() + "' && (" + cmd + ") >last.log 2>&1";
  return std::system(full.c_str());
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void spit(const std::filesystem::path& p, const std::string& data) {
  std::ofstream(p, std::ios::binary) << data;
}

namespace {

void must(const std::string& cmd) {
  if (sh(cmd) != 0)
    throw std::runtime_error("command failed: " + cmd + "\n" +
                             slurp(smime_work_dir() / "last.log"));
}

void make_ca() {
  static bool done = false;
  if (done) return;
  must(
      "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 3650 "
      "-subj '/CN=smimegw test CA' -addext basicConstraints=critical,CA:TRUE "
      "-addext keyUsage=critical,keyCertSign,cRLSign");
  done = true;
}

SmimeIdentity make(const std::string& name) {
  make_ca();
  const std::string alg =
      name == "carol" ? "-newkey ec -pkeyopt ec_paramgen_curve:P-256" : "-newkey rsa:2048";
  const std::string email = name + "@example.com";
  spit(smime_work_dir() / (name + ".ext"),
       "subjectAltName=email:" + email +
           "\nkeyUsage=critical,digitalSignature,keyEncipherment,keyAgreement\n"
           "extendedKeyUsage=emailProtection\n");
  must("openssl req " + alg + " -nodes -keyout " + name + ".key -out " + name +
       ".csr -subj '/CN=" + name + "/emailAddress=" + email + "'");
  must("openssl x509 -req -in " + name +
       ".csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 3650 "
       "-extfile " +
       name + ".ext -out " + name + ".pem");
  SmimeIdentity id;
  id.email = email;
  id.cert_pem = smime_work_dir() / (name + ".pem");
  id.key_pem = smime_work_dir() / (name + ".key");
  id.cert = Botan::X509_Certificate(id.cert_pem.string());
  Botan::AutoSeeded_RNG rng;
  id.key = std::shared_ptr<Botan::Private_Key>(Botan::PKCS8::load_key(id.key_pem.string(), rng));
  return id;
}

}  // namespace

const SmimeIdentity& smime_identity(const std::string& name) {
  static std::map<std::string, SmimeIdentity> ids;
  auto it = ids.find(name);
  if (it == ids.end()) it = ids.emplace(name, make(name)).first;
  return it->second;
}

std::filesystem::path smime_ca_pem() {
  make_ca();
  return smime_work_dir() / "ca.pem";
}

std::string sample_message(const std::string& from, std::size_t body_bytes) {
  std::string m = "From: Alice <" + from +
                  ">\r\nTo: bob@example.com\r\nSubject: test\r\n"
                  "Date: Mon, 23 Nov 2026 03:00:00 +0000\r\nMessage-ID: <t1@example.com>\r\n"
                  "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n";
  std::string line = "The quick brown fox jumps over the lazy dog 0123456789.\r\n";
  while (m.size() < body_bytes + 250) m += line;
  return m;
}

}  // namespace smimegw::test
