#include "inbound_pki.hpp"

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
/// Removes the scratch directory when the process ends.
struct WorkDir {
  std::filesystem::path path;
  WorkDir()
      : path(std::filesystem::temp_directory_path() /
             ("smimegw-inbound-test-" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(path);
  }
  ~WorkDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};
}  // namespace

const std::filesystem::path& work_dir() {
  static const WorkDir dir;
  return dir.path;
}

int sh(const std::string& cmd) {
  const std::string full = "cd '" + work_dir().string() + "' && (" + cmd + ") >last.log 2>&1";
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

void must(const std::string& cmd) {
  if (sh(cmd) != 0)
    throw std::runtime_error("command failed: " + cmd + "\n" + slurp(work_dir() / "last.log"));
}

namespace {

void make_ca(const std::string& name, const std::string& cn) {
  if (std::filesystem::exists(work_dir() / (name + ".pem"))) return;
  must("openssl req -x509 -newkey rsa:2048 -nodes -keyout " + name + ".key -out " + name +
       ".pem -days 3650 -subj '/CN=" + cn +
       "' -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign");
}

Identity load(const std::string& name, const std::string& email) {
  Identity id;
  id.email = email;
  id.cert_pem = work_dir() / (name + ".pem");
  id.key_pem = work_dir() / (name + ".key");
  id.cert = Botan::X509_Certificate(id.cert_pem.string());
  Botan::AutoSeeded_RNG rng;
  id.key = std::shared_ptr<Botan::Private_Key>(Botan::PKCS8::load_key(id.key_pem.string(), rng));
  return id;
}

Identity make(const std::string& name) {
  const std::string email = name + "@example.com";
  if (name == "gateway") {
    must(
        "openssl req -x509 -newkey rsa:2048 -nodes -keyout gateway.key -out gateway.pem "
        "-days 3650 -subj '/CN=Example gateway key'");
    return load(name, email);
  }
  const std::string ca = name == "eve" ? "rogue" : "ca";
  make_ca("ca", "smimegw inbound test CA");
  make_ca("rogue", "rogue CA");
  const std::string alg =
      name == "carol" ? "-newkey ec -pkeyopt ec_paramgen_curve:P-256" : "-newkey rsa:2048";
  spit(work_dir() / (name + ".ext"), "subjectAltName=email:" + email +
                                         "\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
                                         "extendedKeyUsage=emailProtection\n");
  must("openssl req " + alg + " -nodes -keyout " + name + ".key -out " + name +
       ".csr -subj '/CN=" + name + "'");
  must("openssl x509 -req -in " + name + ".csr -CA " + ca + ".pem -CAkey " + ca +
       ".key -CAcreateserial -days 3650 -extfile " + name + ".ext -out " + name + ".pem");
  return load(name, email);
}

}  // namespace

const Identity& identity(const std::string& name) {
  // Never destroyed: Botan's locked-memory pool may be gone at exit.
  static auto* ids = new std::map<std::string, Identity>;
  auto it = ids->find(name);
  if (it == ids->end()) it = ids->emplace(name, make(name)).first;
  return it->second;
}

std::filesystem::path ca_pem() {
  identity("alice");
  return work_dir() / "ca.pem";
}

std::filesystem::path content_file(const std::string& name, const std::string& text) {
  auto p = work_dir() / name;
  spit(p, "Content-Type: text/plain; charset=us-ascii\r\n\r\n" + text + "\r\n");
  return p;
}

std::string openssl_out(const std::string& cmd, const std::string& out_name) {
  must(cmd + " -out " + out_name);
  return slurp(work_dir() / out_name);
}

}  // namespace smimegw::test
