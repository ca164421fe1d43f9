// app: file and key loading for the smime/pkcs12 commands. Botan exceptions stop here.
#include <botan/data_src.h>
#include <botan/pkcs8.h>
#include <botan/x509path.h>

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "smime_cli.hpp"
#include "smimegw/smime/errors.hpp"

namespace smimegw::app {

std::optional<std::string> read_whole(const std::string& path, std::string& error) {
  if (path == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    return ss.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot read " + path;
    return std::nullopt;
  }
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) {
    error = "error reading " + path;
    return std::nullopt;
  }
  return data;
}

bool write_whole(const std::string& path, const std::string& data, std::string& error) {
  if (path.empty() || path == "-") {
    std::cout.write(data.data(), static_cast<std::streamsize>(data.size()));
    std::cout.flush();
    return bool(std::cout);
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  out.close();
  if (!out) error = "cannot write " + path;
  return bool(out);
}

std::optional<std::string> read_password_file(const std::string& path, std::string& error) {
  auto data = read_whole(path, error);
  if (!data) return std::nullopt;
  auto eol = data->find_first_of("\r\n");
  if (eol != std::string::npos) data->resize(eol);
  return data;
}

std::optional<std::vector<Botan::X509_Certificate>> load_certificates(const std::string& path,
                                                                      std::string& error) {
  auto data = read_whole(path, error);
  if (!data) return std::nullopt;
  std::vector<Botan::X509_Certificate> certs;
  try {
    Botan::DataSource_Memory src(*data);
    while (!src.end_of_data()) {
      // Skip whitespace between PEM blocks so a trailing newline does not look like a cert.
      std::uint8_t b = 0;
      if (src.peek(&b, 1, 0) == 1 && (b == '\n' || b == '\r' || b == ' ' || b == '\t')) {
        src.discard_next(1);
        continue;
      }
      certs.emplace_back(src);
    }
  } catch (const std::exception& e) {
    error = path + ": not a certificate (" + e.what() + ")";
    return std::nullopt;
  }
  if (certs.empty()) {
    error = path + ": no certificate";
    return std::nullopt;
  }
  return certs;
}

std::unique_ptr<Botan::Private_Key> load_private_key(const std::string& path,
                                                     Botan::RandomNumberGenerator& rng,
                                                     std::string& error) {
  try {
    Botan::DataSource_Stream src(path);
    return std::unique_ptr<Botan::Private_Key>(Botan::PKCS8::load_key(src, rng));
  } catch (const std::exception& e) {
    error = path + ": cannot load an unencrypted PKCS#8 private key (" + e.what() + ")";
    return nullptr;
  }
}

std::optional<cms::Pkcs12Contents> load_pkcs12(const std::string& path,
                                               const std::string& password_file,
                                               std::string& error) {
  auto data = read_whole(path, error);
  if (!data) return std::nullopt;
  auto password = read_password_file(password_file, error);
  if (!password) return std::nullopt;
  auto p12 = cms::parse_pkcs12({reinterpret_cast<const std::uint8_t*>(data->data()), data->size()},
                               *password);
  if (!p12) {
    error = path + ": " + p12.error().code + ": " + p12.error().message;
    return std::nullopt;
  }
  return std::move(*p12);
}

}  // namespace smimegw::app
