// crypto_bench: S/MIME message throughput against Botan's raw primitives, measured in one run.
//   crypto_bench table [SECONDS]  the msgs/s table (10 KiB and 1 MiB; RSA-2048, RSA-3072, P-256);
//                                 sign uses a SigningContext prepared once per key (smime::prepare)
//   crypto_bench large            25 MiB sign+encrypt → decrypt → verify, time and peak RSS
//   crypto_bench raw [SECONDS]    Botan's raw RSA-2048 rates only, as key=value lines (the
//                                 reference of the transport benchmarks, tests/bench/inbound.sh)
#include <botan/auto_rng.h>
#include <botan/ecdh.h>
#include <botan/ecdsa.h>
#include <botan/pubkey.h>
#include <botan/rsa.h>
#include <botan/x509self.h>
#include <malloc.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "smimegw/smime/smime.hpp"

using namespace smimegw;
using Clock = std::chrono::steady_clock;

namespace {

struct Id {
  std::string name;
  std::unique_ptr<Botan::Private_Key> key;
  std::unique_ptr<Botan::X509_Certificate> cert;
};

Id make_id(const std::string& name, Botan::RandomNumberGenerator& rng) {
  Id id{name, nullptr, nullptr};
  if (name == "RSA-2048")
    id.key = std::make_unique<Botan::RSA_PrivateKey>(rng, 2048);
  else if (name == "RSA-3072")
    id.key = std::make_unique<Botan::RSA_PrivateKey>(rng, 3072);
  else
    id.key = std::make_unique<Botan::ECDSA_PrivateKey>(rng, Botan::EC_Group("secp256r1"));
  Botan::X509_Cert_Options opt("bench");
  opt.email = "bench@example.com";
  id.cert = std::make_unique<Botan::X509_Certificate>(
      Botan::X509::create_self_signed_cert(opt, *id.key, "SHA-256", rng));
  return id;
}

/// Runs `op` repeatedly for about `seconds` (at least 3 times) and returns ops/s.
double rate(double seconds, const std::function<void()>& op) {
  op();  // warm-up
  std::size_t n = 0;
  const auto start = Clock::now();
  double elapsed = 0;
  do {
    op();
    ++n;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  } while (elapsed < seconds || n < 3);
  return static_cast<double>(n) / elapsed;
}

/// Rates of `a` and `b` measured in alternating slices of ~50 ms for about `seconds` each, so both
/// see the same machine load (a shared machine makes rates measured seconds apart incomparable).
std::pair<double, double> paired_rates(double seconds, const std::function<void()>& a,
                                       const std::function<void()>& b) {
  a();
  b();
  double ta = 0, tb = 0;
  std::size_t na = 0, nb = 0;
  auto slice = [](const std::function<void()>& op, double& t, std::size_t& n) {
    const auto start = Clock::now();
    double elapsed = 0;
    do {
      op();
      ++n;
      elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    } while (elapsed < 0.05);
    t += elapsed;
  };
  while (ta < seconds || tb < seconds) {
    slice(a, ta, na);
    slice(b, tb, nb);
  }
  return {static_cast<double>(na) / ta, static_cast<double>(nb) / tb};
}

std::string message(std::size_t body) {
  std::string m =
      "From: Bench <bench@example.com>\r\nTo: r@example.com\r\nSubject: bench\r\n"
      "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n";
  const std::string line = "0123456789 the quick brown fox jumps over the lazy dog 0123456789\r\n";
  m.reserve(body + line.size());
  while (m.size() < body) m += line;
  return m;
}

void must(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "crypto_bench: %s failed\n", what);
    std::exit(1);
  }
}

double raw_sign_rate(const Id& id, double s, Botan::RandomNumberGenerator& rng) {
  const bool ec = id.name == "P-256";
  Botan::PK_Signer signer(*id.key, rng, ec ? "EMSA1(SHA-256)" : "EMSA3(SHA-256)");
  std::vector<std::uint8_t> msg(32, 7);
  return rate(s, [&] { (void)signer.sign_message(msg, rng); });
}

/// The same with a fresh PK_Signer per message, as cms::sign does today (Botan 2 RSA private
/// operations set up Montgomery parameters and blinding per PK_Signer).
double raw_sign_fresh_rate(const Id& id, double s, Botan::RandomNumberGenerator& rng) {
  const bool ec = id.name == "P-256";
  std::vector<std::uint8_t> msg(32, 7);
  return rate(s, [&] {
    Botan::PK_Signer signer(*id.key, rng, ec ? "EMSA1(SHA-256)" : "EMSA3(SHA-256)");
    (void)signer.sign_message(msg, rng);
  });
}

double raw_verify_rate(const Id& id, double s, Botan::RandomNumberGenerator& rng) {
  const bool ec = id.name == "P-256";
  const std::string emsa = ec ? "EMSA1(SHA-256)" : "EMSA3(SHA-256)";
  Botan::PK_Signer signer(*id.key, rng, emsa);
  std::vector<std::uint8_t> msg(32, 7);
  auto sig = signer.sign_message(msg, rng);
  Botan::PK_Verifier verifier(*id.key, emsa);
  return rate(s, [&] { must(verifier.verify_message(msg, sig), "raw verify"); });
}

/// Raw key transport / agreement on the recipient side (the decrypt cost floor).
double raw_decrypt_rate(const Id& id, double s, Botan::RandomNumberGenerator& rng) {
  if (id.name == "P-256") {
    Botan::ECDSA_PrivateKey& k = dynamic_cast<Botan::ECDSA_PrivateKey&>(*id.key);
    Botan::ECDH_PrivateKey ecdh(rng, k.domain(), k.private_value());
    Botan::ECDH_PrivateKey eph(rng, k.domain());
    Botan::PK_Key_Agreement ka(ecdh, rng, "Raw");
    const auto pub = eph.public_value();
    return rate(s, [&] { (void)ka.derive_key(32, pub); });
  }
  Botan::PK_Encryptor_EME enc(*id.key, rng, "EME-PKCS1-v1_5");
  Botan::PK_Decryptor_EME dec(*id.key, rng, "EME-PKCS1-v1_5");
  std::vector<std::uint8_t> cek(32, 1);
  auto ct = enc.encrypt(cek, rng);
  return rate(s, [&] { (void)dec.decrypt(ct); });
}

double raw_encrypt_rate(const Id& id, double s, Botan::RandomNumberGenerator& rng) {
  if (id.name == "P-256") {
    Botan::ECDSA_PrivateKey& k = dynamic_cast<Botan::ECDSA_PrivateKey&>(*id.key);
    const auto pub = k.public_point().encode(Botan::PointGFp::UNCOMPRESSED);
    return rate(s, [&] {
      Botan::ECDH_PrivateKey eph(rng, k.domain());
      Botan::PK_Key_Agreement ka(eph, rng, "Raw");
      (void)ka.derive_key(32, pub);
    });
  }
  Botan::PK_Encryptor_EME enc(*id.key, rng, "EME-PKCS1-v1_5");
  std::vector<std::uint8_t> cek(32, 1);
  return rate(s, [&] { (void)enc.encrypt(cek, rng); });
}

int table(double s) {
  Botan::AutoSeeded_RNG rng;
  std::printf("%-9s %-6s %10s %10s %10s %10s | %10s %10s %10s %10s | %s\n", "key", "size", "sign/s",
              "verify/s", "encrypt/s", "decrypt/s", "raw sign", "raw vrfy", "raw enc", "raw dec",
              "sign vs raw");
  for (const char* name : {"RSA-2048", "RSA-3072", "P-256"}) {
    Id id = make_id(name, rng);
    const double rs = raw_sign_rate(id, s, rng), rv = raw_verify_rate(id, s, rng);
    const double re = raw_encrypt_rate(id, s, rng), rd = raw_decrypt_rate(id, s, rng);
    const double rsf = raw_sign_fresh_rate(id, s, rng);
    for (std::size_t size : {std::size_t(10) << 10, std::size_t(1) << 20}) {
      const std::string msg = message(size);
      smime::Signer signer{*id.cert, id.key.get()};
      auto ctx = smime::prepare(signer);  // once per key, as the gateway does
      must(ctx.ok(), "prepare");
      auto signed_msg = smime::sign(msg, **ctx, {});
      must(signed_msg.ok(), "sign");
      auto enc = smime::encrypt(msg, {*id.cert}, {}, rng);
      must(enc.ok(), "encrypt");
      const double sign = rate(s, [&] { must(smime::sign(msg, **ctx, {}).ok(), "sign"); });
      const double sign_once =
          size < (1u << 20)
              ? rate(s, [&] { must(smime::sign(msg, signer, {}, rng).ok(), "sign one-shot"); })
              : 0;
      smime::InspectOptions io;
      io.check_from_address = false;
      const double verify = rate(s, [&] {
        auto r = smime::inspect(*signed_msg, io, rng);
        must(r.ok() && r->signature_status() == "good", "verify");
      });
      const double encrypt =
          rate(s, [&] { must(smime::encrypt(msg, {*id.cert}, {}, rng).ok(), "encrypt"); });
      std::vector<cms::DecryptKey> keys{cms::DecryptKey(*id.cert, id.key.get())};
      const double decrypt =
          rate(s, [&] { must(smime::decrypt(*enc, keys, rng).ok(), "decrypt"); });
      std::printf(
          "%-9s %-6s %10.1f %10.1f %10.1f %10.1f | %10.1f %10.1f %10.1f %10.1f | %5.1f %%\n", name,
          size < (1u << 20) ? "10KiB" : "1MiB", sign, verify, encrypt, decrypt, rs, rv, re, rd,
          100.0 * sign / rs);
      if (size < (1u << 20))
        std::printf(
            "%-9s one-shot smime::sign (context per message): %.1f/s = %.1f %% of raw; raw sign "
            "with a fresh PK_Signer per message: %.1f/s\n",
            name, sign_once, 100.0 * sign_once / rs, rsf);
      if (size < (1u << 20)) {
        Botan::PK_Signer raw(*id.key, rng,
                             id.name == "P-256" ? "EMSA1(SHA-256)" : "EMSA3(SHA-256)");
        std::vector<std::uint8_t> digest(32, 7);
        const auto [ps, pr] = paired_rates(
            2 * s, [&] { must(smime::sign(msg, **ctx, {}).ok(), "sign"); },
            [&] { (void)raw.sign_message(digest, rng); });
        std::printf(
            "%-9s paired (alternating 50 ms slices, same load): smime::sign %.1f/s, raw sign "
            "%.1f/s = %.1f %%\n",
            name, ps, pr, 100.0 * ps / pr);
      }
      std::fflush(stdout);
    }
  }
  return 0;
}

long peak_rss_kib() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

/// Peak RSS of one step alone (diagnostics): "sign" or "encrypt" on a 25 MiB message.
int large_step(const std::string& step) {
  Botan::AutoSeeded_RNG rng;
  Id id = make_id("RSA-2048", rng);
  const long base = peak_rss_kib();
  std::string msg = message(std::size_t(25) << 20);
  const long with_msg = peak_rss_kib();
  smime::Signer signer{*id.cert, id.key.get()};
  auto r =
      step == "sign" ? smime::sign(msg, signer, {}, rng) : smime::encrypt(msg, {*id.cert}, {}, rng);
  must(r.ok(), step.c_str());
  std::printf(
      "%s: baseline %.1f MiB, with message %.1f MiB, peak %.1f MiB → %.2f× above the "
      "message\n",
      step.c_str(), base / 1024.0, with_msg / 1024.0, peak_rss_kib() / 1024.0,
      (peak_rss_kib() - with_msg) * 1024.0 / msg.size());
  return 0;
}

int large() {
  Botan::AutoSeeded_RNG rng;
  Id id = make_id("RSA-2048", rng);
  const long base = peak_rss_kib();
  const std::size_t size = std::size_t(25) << 20;
  auto t0 = Clock::now();
  std::string msg = message(size);
  smime::Signer signer{*id.cert, id.key.get()};
  auto se = smime::sign_and_encrypt(msg, signer, {}, {*id.cert}, {}, rng);
  must(se.ok(), "sign+encrypt");
  const std::size_t msg_size = msg.size();
  std::string().swap(msg);
  const long peak_se = peak_rss_kib();
  std::printf("sign+encrypt: (peak RSS - baseline) / message size = %.2f (message included)\n",
              (peak_se - base) * 1024.0 / msg_size);
  auto t1 = Clock::now();
  auto d = smime::decrypt(*se, {cms::DecryptKey(*id.cert, id.key.get())}, rng);
  must(d.ok(), "decrypt");
  std::string().swap(*se);
  const long peak_dec = peak_rss_kib();
  auto t2 = Clock::now();
  smime::InspectOptions io;
  io.check_from_address = false;
  auto rep = smime::inspect(d->message, io, rng);
  must(rep.ok() && rep->signature_status() == "good", "verify");
  auto t3 = Clock::now();
  const long peak = peak_rss_kib();
  auto ms = [](auto a, auto b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
  std::printf("25 MiB message (%zu bytes): sign+encrypt %.0f ms, decrypt %.0f ms, verify %.0f ms\n",
              msg_size, ms(t0, t1), ms(t1, t2), ms(t2, t3));
  std::printf("peak RSS after sign+encrypt %.1f MiB, after decrypt %.1f MiB\n", peak_se / 1024.0,
              peak_dec / 1024.0);
  std::printf(
      "peak RSS %.1f MiB (baseline before the message %.1f MiB); peak/size = %.2f, "
      "(peak-baseline)/size = %.2f, target <= 4.00\n",
      peak / 1024.0, base / 1024.0, peak * 1024.0 / msg_size, (peak - base) * 1024.0 / msg_size);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // As the daemon does (app/gateway.cpp): buffers of 1 MiB and more are mapped and go back to the
  // system when freed, so glibc's growing mmap threshold cannot keep a freed 25 MiB buffer in RSS.
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  const std::string mode = argc > 1 ? argv[1] : "table";
  if (mode == "large") return large();
  if (mode == "large-sign") return large_step("sign");
  if (mode == "large-encrypt") return large_step("encrypt");
  if (mode == "raw") {
    Botan::AutoSeeded_RNG rng;
    const double s = argc > 2 ? std::atof(argv[2]) : 2.0;
    const Id id = make_id("RSA-2048", rng);
    std::printf("rsa2048_sign=%.1f\nrsa2048_decrypt=%.1f\n", raw_sign_rate(id, s, rng),
                raw_decrypt_rate(id, s, rng));
    return 0;
  }
  return table(argc > 2 ? std::atof(argv[2]) : 1.0);
}
