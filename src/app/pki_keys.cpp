// app/pki: option parsing, key generation and file helpers of the test PKI (pki.hpp).
#include <botan/auto_rng.h>
#include <botan/ec_group.h>
#include <botan/ecdsa.h>
#include <botan/hex.h>
#include <botan/rsa.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

#include "pki.hpp"

namespace smimegw::app::pki {

namespace fs = std::filesystem;
using core::Error;

std::optional<KeyKind> parse_key_kind(const std::string& s) {
  if (s == "rsa2048") return KeyKind::rsa2048;
  if (s == "rsa3072") return KeyKind::rsa3072;
  if (s == "p256") return KeyKind::p256;
  if (s == "p384") return KeyKind::p384;
  return std::nullopt;
}

std::optional<Usage> parse_usage(const std::string& s) {
  if (s == "sign") return Usage::sign;
  if (s == "encrypt") return Usage::encrypt;
  if (s == "both") return Usage::both;
  return std::nullopt;
}

std::optional<Eku> parse_eku(const std::string& s) {
  if (s == "email") return Eku::email;
  if (s == "none") return Eku::none;
  if (s == "serverAuth") return Eku::server_auth;
  return std::nullopt;
}

core::Result<std::chrono::system_clock::time_point> parse_time(const std::string& s) {
  using namespace std::chrono;
  auto bad = Error::make(
      "pki_usage", "bad time \"" + s + "\" (want YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or -30d/+2h)");
  if (!s.empty() && (s[0] == '-' || s[0] == '+') && s.size() >= 3) {
    char unit = s.back();
    long n = 0;
    try {
      std::size_t used = 0;
      n = std::stol(s.substr(1, s.size() - 2), &used);
      if (used != s.size() - 2 || n < 0 || n > 100000) return bad;
    } catch (const std::exception&) {
      return bad;
    }
    seconds d = unit == 'd' ? hours(24 * n) : unit == 'h' ? hours(n) : seconds(-1);
    if (d.count() < 0) return bad;
    auto now = time_point_cast<seconds>(system_clock::now());
    system_clock::time_point t = s[0] == '-' ? now - d : now + d;
    return t;
  }
  std::tm tm{};
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
  char tail = 0;
  if (s.size() == 10 && std::sscanf(s.c_str(), "%4d-%2d-%2d%c", &y, &mo, &d, &tail) == 3) {
  } else if (s.size() == 20 &&
             std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2dZ", &y, &mo, &d, &h, &mi, &se) == 6) {
  } else {
    return bad;
  }
  if (y < 1950 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
    return bad;
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = se;
  system_clock::time_point t = system_clock::from_time_t(timegm(&tm));
  return t;
}

std::string serial_hex(const std::vector<std::uint8_t>& serial_be) {
  std::size_t i = 0;
  while (i + 1 < serial_be.size() && serial_be[i] == 0) ++i;
  return Botan::hex_encode(serial_be.data() + i, serial_be.size() - i, true);
}

core::Result<std::string> normalize_serial(const std::string& text) {
  std::string hex;
  std::string s = text;
  if (s.rfind("0x", 0) == 0 || s.rfind("0X", 0) == 0) s = s.substr(2);
  for (char c : s) {
    if (c == ':') continue;
    if (!std::isxdigit(static_cast<unsigned char>(c)))
      return Error::make("pki_usage", "bad serial \"" + text + "\" (want hex, e.g. 1A2B)");
    hex += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  while (hex.size() > 2 && hex[0] == '0' && hex[1] == '0') hex.erase(0, 2);
  if (hex.empty() || hex.size() > 40)
    return Error::make("pki_usage", "bad serial \"" + text + "\" (want hex, e.g. 1A2B)");
  if (hex.size() % 2) hex.insert(hex.begin(), '0');
  return hex;
}

std::unique_ptr<Botan::Private_Key> generate_key(KeyKind kind) {
  Botan::AutoSeeded_RNG rng;
  switch (kind) {
    case KeyKind::rsa2048:
      return std::make_unique<Botan::RSA_PrivateKey>(rng, 2048);
    case KeyKind::rsa3072:
      return std::make_unique<Botan::RSA_PrivateKey>(rng, 3072);
    case KeyKind::p256:
      return std::make_unique<Botan::ECDSA_PrivateKey>(rng, Botan::EC_Group("secp256r1"));
    case KeyKind::p384:
      return std::make_unique<Botan::ECDSA_PrivateKey>(rng, Botan::EC_Group("secp384r1"));
  }
  return nullptr;
}

std::string signature_hash(const Botan::Private_Key& key) {
  if (key.algo_name() == "ECDSA" && key.key_length() > 256) return "SHA-384";
  return "SHA-256";
}

core::Status write_file(const fs::path& p, std::string_view data, bool secret) {
  fs::path tmp = p;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Error::make("pki_io", tmp.string() + ": " + std::strerror(errno));
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    if (!out.flush()) return Error::make("pki_io", tmp.string() + ": write failed");
  }
  std::error_code ec;
  if (secret) fs::permissions(tmp, fs::perms::owner_read | fs::perms::owner_write, ec);
  fs::rename(tmp, p, ec);
  if (ec) return Error::make("pki_io", p.string() + ": " + ec.message());
  return {};
}

core::Result<std::string> read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return Error::make("pki_io", p.string() + ": " + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace smimegw::app::pki
