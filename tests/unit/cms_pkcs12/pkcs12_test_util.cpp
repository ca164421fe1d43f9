#include "pkcs12_test_util.hpp"

#include <botan/data_src.h>
#include <botan/pkcs8.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "test_env.hpp"

namespace smimegw::test::p12 {

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "smimegw-p12-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

int run(const TempDir& dir, const std::string& command) {
  const std::string full =
      "cd '" + dir.path().string() + "' && { " + command + " ; } >last.log 2>&1";
  const int rc = std::system(full.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

void must_run(const TempDir& dir, const std::string& command) {
  const int rc = run(dir, command);
  if (rc != 0) {
    INFO("command: " << command);
    INFO("output: " << smimegw::test::read_file(dir.path() / "last.log"));
    REQUIRE(rc == 0);
  }
}

Bytes read_bytes(const std::filesystem::path& p) {
  const std::string s = smimegw::test::read_file(p);
  return Bytes(s.begin(), s.end());
}

void write_bytes(const std::filesystem::path& p, const Bytes& b) {
  std::ofstream out(p, std::ios::binary);
  out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
  REQUIRE(out.good());
}

const Material& material() {
  static Material mat;  // its directory is removed at exit
  static const bool made = [] {
    const TempDir& d = mat.dir;
    must_run(d,
             "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 3650 "
             "-subj '/CN=smimegw Test CA' -addext basicConstraints=critical,CA:TRUE "
             "-addext keyUsage=critical,keyCertSign,cRLSign");
    auto leaf = [&](const std::string& name, const std::string& newkey, const std::string& cn) {
      must_run(d, "openssl req -newkey " + newkey + " -nodes -keyout " + name + ".key -out " +
                      name + ".csr -subj '/CN=" + cn + "/emailAddress=" + name +
                      "@contoso.test' && openssl x509 -req -in " + name +
                      ".csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 365 -out " + name +
                      ".pem");
    };
    leaf("rsa", "rsa:2048", "Alice RSA");
    leaf("rsa2", "rsa:2048", "Alice Encryption");
    leaf("ec", "ec -pkeyopt ec_paramgen_curve:P-256", "Alice EC");
    return true;
  }();
  (void)made;
  return mat;
}

Bytes openssl_spki(const TempDir& dir, const std::string& key_file) {
  const std::string out = (dir.path() / "spki.der").string();
  must_run(dir, "openssl pkey -in '" + key_file + "' -pubout -outform DER -out '" + out + "'");
  return read_bytes(out);
}

Bytes openssl_cert_der(const TempDir& dir, const std::string& cert_file) {
  const std::string out = (dir.path() / "cert.der").string();
  must_run(dir, "openssl x509 -in '" + cert_file + "' -outform DER -out '" + out + "'");
  return read_bytes(out);
}

std::unique_ptr<Botan::Private_Key> load_key_pem(const std::string& file) {
  const std::string pem = smimegw::test::read_file(file);
  Botan::DataSource_Memory src(pem);
  return Botan::PKCS8::load_key(src);
}

std::vector<std::string> pem_blocks(const std::string& text, const std::string& label) {
  std::vector<std::string> out;
  const std::string begin = "-----BEGIN " + label + "-----";
  const std::string end = "-----END " + label + "-----";
  for (std::size_t pos = text.find(begin); pos != std::string::npos; pos = text.find(begin, pos)) {
    const std::size_t e = text.find(end, pos);
    if (e == std::string::npos) break;
    out.push_back(text.substr(pos, e + end.size() - pos) + "\n");
    pos = e;
  }
  return out;
}

}  // namespace smimegw::test::p12

namespace smimegw::test::p12 {
namespace {
void berify_into(const std::uint8_t* p, std::size_t n, Bytes& out) {
  std::size_t pos = 0;
  while (pos < n) {
    const std::uint8_t id = p[pos];
    std::size_t len = p[pos + 1];
    std::size_t hdr = 2;
    if (len & 0x80) {
      const std::size_t k = len & 0x7F;
      len = 0;
      for (std::size_t i = 0; i < k; ++i) len = (len << 8) | p[pos + 2 + i];
      hdr += k;
    }
    const std::uint8_t* content = p + pos + hdr;
    if (id & 0x20) {
      out.push_back(id);
      out.push_back(0x80);
      berify_into(content, len, out);
      out.push_back(0);
      out.push_back(0);
    } else if (id == 0x04 && len > 16) {
      out.push_back(0x24);
      out.push_back(0x80);
      for (std::size_t off = 0; off < len; off += 16) {
        const std::size_t piece = std::min<std::size_t>(16, len - off);
        out.push_back(0x04);
        out.push_back(static_cast<std::uint8_t>(piece));
        out.insert(out.end(), content + off, content + off + piece);
      }
      out.push_back(0);
      out.push_back(0);
    } else {
      out.insert(out.end(), p + pos, content + len);
    }
    pos += hdr + len;
  }
}
}  // namespace

Bytes berify(const Bytes& der) {
  Bytes out;
  berify_into(der.data(), der.size(), out);
  return out;
}
}  // namespace smimegw::test::p12
