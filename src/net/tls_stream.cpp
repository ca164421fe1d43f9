// net: Botan TLS 1.2 over Asio coroutines (see tls_stream.hpp for the contract). The only
// translation unit of the project that includes Botan's TLS headers.
#include "smimegw/net/tls_stream.hpp"

#include <botan/certstor.h>
#include <botan/certstor_system.h>
#include <botan/credentials_manager.h>
#include <botan/data_src.h>
#include <botan/pkcs8.h>
#include <botan/system_rng.h>
#include <botan/tls_client.h>
#include <botan/tls_exceptn.h>
#include <botan/tls_policy.h>
#include <botan/tls_server.h>
#include <botan/tls_session_manager.h>
#include <botan/x509cert.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cstring>

namespace smimegw::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
constexpr auto use_nothrow = asio::as_tuple(asio::use_awaitable);

namespace {

/// The one TLS policy of the gateway (server and client). Botan's default would demand revocation
/// data for the peer certificate and could negotiate experimental suites between two Botan peers.
class TlsPolicy final : public Botan::TLS::Policy {
 public:
  std::vector<std::string> allowed_ciphers() const override {
    return {"ChaCha20Poly1305", "AES-256/GCM", "AES-128/GCM"};
  }
  std::vector<std::string> allowed_signature_hashes() const override {
    return {"SHA-512", "SHA-384", "SHA-256"};
  }
  std::vector<std::string> allowed_macs() const override { return {"AEAD"}; }
  std::vector<std::string> allowed_key_exchange_methods() const override { return {"ECDH"}; }
  std::vector<std::string> allowed_signature_methods() const override { return {"ECDSA", "RSA"}; }
  bool require_cert_revocation_info() const override { return false; }
  bool allow_tls10() const override { return false; }
  bool allow_tls11() const override { return false; }
  bool allow_tls12() const override { return true; }
  bool allow_dtls10() const override { return false; }
  bool allow_dtls12() const override { return false; }
  bool allow_client_initiated_renegotiation() const override { return false; }
  bool allow_server_initiated_renegotiation() const override { return false; }
  bool server_uses_own_ciphersuite_preferences() const override { return true; }
  size_t minimum_rsa_bits() const override { return 2048; }
};

const TlsPolicy& policy() {
  static const TlsPolicy p;
  return p;
}

core::Error err(const char* code, std::string msg) {
  return core::Error::transient(code, std::move(msg));
}

class ClientCredentials final : public Botan::Credentials_Manager {
 public:
  explicit ClientCredentials(const TlsClientOptions& o) {
    if (!o.verify_peer) return;
    if (o.ca_file.empty()) {
      store_ = std::make_unique<Botan::System_Certificate_Store>();
    } else {
      auto mem = std::make_unique<Botan::Certificate_Store_In_Memory>();
      Botan::DataSource_Stream in(o.ca_file);
      while (!in.end_of_data()) {
        try {
          mem->add_certificate(Botan::X509_Certificate(in));
        } catch (const std::exception&) {
          break;
        }
      }
      store_ = std::move(mem);
    }
  }
  std::vector<Botan::Certificate_Store*> trusted_certificate_authorities(
      const std::string&, const std::string&) override {
    if (!store_) return {};
    return {store_.get()};
  }

 private:
  std::unique_ptr<Botan::Certificate_Store> store_;
};

}  // namespace

struct TlsServerContext::Impl final : Botan::Credentials_Manager {
  std::vector<Botan::X509_Certificate> chain;
  std::unique_ptr<Botan::Private_Key> key;

  std::vector<Botan::X509_Certificate> cert_chain(const std::vector<std::string>& key_types,
                                                  const std::string&, const std::string&) override {
    for (const auto& t : key_types)
      if (t == key->algo_name()) return chain;
    return {};
  }
  Botan::Private_Key* private_key_for(const Botan::X509_Certificate&, const std::string&,
                                      const std::string&) override {
    return key.get();
  }
};

TlsServerContext::TlsServerContext(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TlsServerContext::~TlsServerContext() = default;

core::Result<std::shared_ptr<TlsServerContext>> TlsServerContext::from_pem_files(
    const std::string& cert_chain_file, const std::string& key_file) {
  auto impl = std::make_unique<Impl>();
  try {
    Botan::DataSource_Stream in(cert_chain_file);
    while (!in.end_of_data()) {
      try {
        impl->chain.emplace_back(in);
      } catch (const Botan::Exception&) {
        if (impl->chain.empty()) throw;
        break;  // trailing text after the last certificate
      }
    }
  } catch (const std::exception&) {
    return core::Error::make("tls_credentials", "cannot read the TLS certificate chain file");
  }
  if (impl->chain.empty())
    return core::Error::make("tls_credentials", "the TLS certificate file holds no certificate");
  try {
    Botan::DataSource_Stream in(key_file);
    impl->key = Botan::PKCS8::load_key(in);
  } catch (const std::exception&) {
    return core::Error::make("tls_credentials",
                             "cannot read the TLS private key (unencrypted PKCS#8 PEM expected)");
  }
  try {
    std::unique_ptr<Botan::Public_Key> pub(impl->chain.front().subject_public_key());
    if (!pub || pub->algo_name() != impl->key->algo_name() ||
        pub->public_key_bits() != impl->key->public_key_bits())
      return core::Error::make("tls_credentials",
                               "the TLS private key does not match the certificate");
  } catch (const std::exception&) {
    return core::Error::make("tls_credentials", "the TLS certificate's public key is unreadable");
  }
  return std::shared_ptr<TlsServerContext>(new TlsServerContext(std::move(impl)));
}

struct TlsStream::Impl final : Botan::TLS::Callbacks {
  tcp::socket socket;
  std::shared_ptr<TlsServerContext> server_ctx;
  std::unique_ptr<ClientCredentials> client_creds;
  bool verify_peer = false;
  Botan::TLS::Session_Manager_Noop sessions;
  std::unique_ptr<Botan::TLS::Channel> channel;
  std::string out;  // ciphertext waiting to be written
  std::string in;   // plaintext waiting to be read
  std::size_t in_pos = 0;
  bool peer_closed = false;
  std::string fatal_alert;
  std::string description;
  std::array<char, 16 * 1024> rbuf{};

  explicit Impl(tcp::socket s) : socket(std::move(s)) {}

  void tls_emit_data(const uint8_t data[], size_t size) override {
    out.append(reinterpret_cast<const char*>(data), size);
  }
  void tls_record_received(uint64_t, const uint8_t data[], size_t size) override {
    in.append(reinterpret_cast<const char*>(data), size);
  }
  void tls_alert(Botan::TLS::Alert alert) override {
    if (alert.type() == Botan::TLS::Alert::CLOSE_NOTIFY)
      peer_closed = true;
    else if (alert.is_fatal())
      fatal_alert = alert.type_string();
  }
  bool tls_session_established(const Botan::TLS::Session& s) override {
    description = s.version().to_string() + ":" + s.ciphersuite().to_string();
    return false;
  }
  void tls_verify_cert_chain(const std::vector<Botan::X509_Certificate>& chain,
                             const std::vector<std::shared_ptr<const Botan::OCSP::Response>>& ocsp,
                             const std::vector<Botan::Certificate_Store*>& trusted,
                             Botan::Usage_Type usage, const std::string& hostname,
                             const Botan::TLS::Policy& p) override {
    if (!verify_peer) return;  // opportunistic: encryption without authentication (RFC 7435)
    Botan::TLS::Callbacks::tls_verify_cert_chain(chain, ocsp, trusted, usage, hostname, p);
  }

  asio::awaitable<bool> flush() {
    while (!out.empty()) {
      std::string pending = std::move(out);
      out.clear();
      auto [ec, n] = co_await asio::async_write(socket, asio::buffer(pending), use_nothrow);
      (void)n;
      if (ec) co_return false;
    }
    co_return true;
  }

  /// Reads one chunk of ciphertext and feeds it to Botan. Returns an error text or "".
  asio::awaitable<std::string> pump() {
    auto [ec, n] = co_await socket.async_read_some(asio::buffer(rbuf), use_nothrow);
    if (ec == asio::error::eof) {
      peer_closed = true;
      co_return "";
    }
    if (ec) co_return ec.message();
    std::string failure;
    try {
      channel->received_data(reinterpret_cast<const uint8_t*>(rbuf.data()), n);
    } catch (const std::exception& e) {
      failure = e.what();
    }
    if (!failure.empty()) {
      co_await flush();  // let the peer see our alert
      co_return failure;
    }
    if (!co_await flush()) co_return "write failed";
    if (!fatal_alert.empty()) co_return "peer sent alert " + fatal_alert;
    co_return "";
  }

  asio::awaitable<core::Status> handshake(std::chrono::milliseconds timeout) {
    // timed_out[0]: fired; timed_out[1]: handshake over (a queued handler must not touch the
    // socket)
    auto timed_out = std::make_shared<std::array<bool, 2>>();
    asio::steady_timer timer(socket.get_executor());
    timer.expires_after(timeout);
    timer.async_wait([this, timed_out](boost::system::error_code ec) {
      if (ec || (*timed_out)[1]) return;
      (*timed_out)[0] = true;
      boost::system::error_code ignore;
      socket.cancel(ignore);
    });
    std::string problem;
    if (!co_await flush()) problem = "write failed";
    while (problem.empty() && !channel->is_active()) {
      if (peer_closed || channel->is_closed()) {
        problem = "peer closed the connection during the handshake";
        break;
      }
      problem = co_await pump();
      if ((*timed_out)[0]) problem = "timeout";
    }
    (*timed_out)[1] = true;
    timer.cancel();
    if ((*timed_out)[0]) co_return err("tls_timeout", "TLS handshake did not finish in time");
    if (!problem.empty()) co_return err("tls_handshake", "TLS handshake failed: " + problem);
    co_return core::Status();
  }
};

TlsStream::TlsStream(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TlsStream::~TlsStream() = default;

asio::awaitable<core::Result<std::unique_ptr<TlsStream>>> TlsStream::accept(
    tcp::socket socket, std::shared_ptr<TlsServerContext> ctx,
    std::chrono::milliseconds handshake_timeout) {
  auto impl = std::make_unique<Impl>(std::move(socket));
  impl->server_ctx = std::move(ctx);
  try {
    impl->channel = std::make_unique<Botan::TLS::Server>(
        *impl, impl->sessions, impl->server_ctx->impl(), policy(), Botan::system_rng());
  } catch (const std::exception& e) {
    co_return err("tls_handshake", std::string("cannot start TLS: ") + e.what());
  }
  auto st = co_await impl->handshake(handshake_timeout);
  if (!st) co_return st.error();
  co_return std::unique_ptr<TlsStream>(new TlsStream(std::move(impl)));
}

asio::awaitable<core::Result<std::unique_ptr<TlsStream>>> TlsStream::connect(
    tcp::socket socket, TlsClientOptions opts, std::chrono::milliseconds handshake_timeout) {
  auto impl = std::make_unique<Impl>(std::move(socket));
  impl->verify_peer = opts.verify_peer;
  try {
    impl->client_creds = std::make_unique<ClientCredentials>(opts);
    impl->channel = std::make_unique<Botan::TLS::Client>(
        *impl, impl->sessions, *impl->client_creds, policy(), Botan::system_rng(),
        Botan::TLS::Server_Information(opts.server_name, "smtp"),
        Botan::TLS::Protocol_Version::TLS_V12);
  } catch (const std::exception& e) {
    co_return err("tls_handshake", std::string("cannot start TLS: ") + e.what());
  }
  auto st = co_await impl->handshake(handshake_timeout);
  if (!st) co_return st.error();
  co_return std::unique_ptr<TlsStream>(new TlsStream(std::move(impl)));
}

asio::awaitable<core::Result<std::size_t>> TlsStream::read_some(char* buf, std::size_t size) {
  auto& s = *impl_;
  while (s.in_pos >= s.in.size()) {
    s.in.clear();
    s.in_pos = 0;
    if (s.peer_closed || s.channel->is_closed()) co_return std::size_t{0};
    auto problem = co_await s.pump();
    if (!problem.empty()) co_return err("tls_io", "TLS read failed: " + problem);
  }
  std::size_t n = std::min(size, s.in.size() - s.in_pos);
  std::memcpy(buf, s.in.data() + s.in_pos, n);
  s.in_pos += n;
  co_return n;
}

asio::awaitable<core::Status> TlsStream::write(std::string_view data) {
  auto& s = *impl_;
  if (s.channel->is_closed()) co_return err("tls_io", "TLS session is closed");
  try {
    s.channel->send(reinterpret_cast<const uint8_t*>(data.data()), data.size());
  } catch (const std::exception& e) {
    co_return err("tls_io", std::string("TLS write failed: ") + e.what());
  }
  if (!co_await s.flush()) co_return err("tls_io", "TLS write failed");
  co_return core::Status();
}

asio::awaitable<void> TlsStream::shutdown() {
  auto& s = *impl_;
  try {
    if (!s.channel->is_closed()) s.channel->close();
  } catch (const std::exception&) {
  }
  co_await s.flush();
  boost::system::error_code ignore;
  s.socket.shutdown(tcp::socket::shutdown_both, ignore);
  s.socket.close(ignore);
}

tcp::socket& TlsStream::socket() {
  return impl_->socket;
}
std::string TlsStream::description() const {
  return impl_->description;
}

}  // namespace smimegw::net
