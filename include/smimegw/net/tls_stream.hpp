// net: TLS over an Asio TCP socket with Botan 2 (TLS 1.2 only), as C++20 coroutines.
//
// Debian's Botan has no asio_stream.h, so this adapter drives Botan::TLS::Server / Client through
// their callbacks: tls_emit_data() appends ciphertext to an output buffer that the coroutine writes
// to the socket, tls_record_received() appends plaintext to an input buffer that read_some() hands
// out. Both sides use one explicit policy (TlsPolicy in tls_stream.cpp): TLS 1.2 only, AEAD suites
// (AES-GCM, ChaCha20-Poly1305) with ECDHE, no revocation requirement for the peer certificate, no
// renegotiation, no experimental suites.
//
// Used by STARTTLS (RFC 3207) in the SMTP server and by the relay client. Botan's exceptions never
// leave this module: every failure is an Error with one of these codes:
//   tls_credentials   certificate chain or key file missing/unreadable/mismatched (start-up)
//   tls_handshake     handshake failed (alert, protocol error, peer closed)     [temporary]
//   tls_timeout       handshake did not finish within the handshake timeout     [temporary]
//   tls_io            read/write failed after the handshake, or the peer closed  [temporary]
//
// Timeouts: the handshake has its own deadline; reads and writes after it are bounded by the
// caller (cancel the socket, e.g. with a timer: the pending operation then completes with tls_io).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "smimegw/core/result.hpp"

namespace smimegw::net {

/// Server credentials: the certificate chain (leaf first) and its private key, from PEM files.
/// Immutable and shareable between connections and threads.
class TlsServerContext {
 public:
  /// Loads and checks the files (the key must match the leaf certificate). Error: tls_credentials.
  static core::Result<std::shared_ptr<TlsServerContext>> from_pem_files(
      const std::string& cert_chain_file, const std::string& key_file);
  ~TlsServerContext();
  struct Impl;
  Impl& impl() const { return *impl_; }

 private:
  explicit TlsServerContext(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

struct TlsClientOptions {
  std::string server_name;   ///< SNI and, when verifying, the name checked in the certificate
  bool verify_peer = false;  ///< opportunistic SMTP TLS does not verify (RFC 7435)
  std::string ca_file;       ///< PEM trust anchors when verify_peer (empty: system store)
};

class TlsStream {
 public:
  /// Runs the server side of the handshake on `socket` (which it takes over).
  static boost::asio::awaitable<core::Result<std::unique_ptr<TlsStream>>> accept(
      boost::asio::ip::tcp::socket socket, std::shared_ptr<TlsServerContext> ctx,
      std::chrono::milliseconds handshake_timeout);
  /// Runs the client side of the handshake on `socket`.
  static boost::asio::awaitable<core::Result<std::unique_ptr<TlsStream>>> connect(
      boost::asio::ip::tcp::socket socket, TlsClientOptions opts,
      std::chrono::milliseconds handshake_timeout);
  ~TlsStream();

  /// Reads some plaintext into `buf` (at most `size` bytes). 0 bytes with ok() means the peer
  /// closed the TLS session (close_notify or EOF).
  boost::asio::awaitable<core::Result<std::size_t>> read_some(char* buf, std::size_t size);
  /// Encrypts and writes all of `data`.
  boost::asio::awaitable<core::Status> write(std::string_view data);
  /// Sends close_notify (best effort) and closes the socket.
  boost::asio::awaitable<void> shutdown();

  boost::asio::ip::tcp::socket& socket();
  /// "TLSv1.2:ECDHE-RSA-AES256-GCM-SHA384"-style description of the negotiated session.
  std::string description() const;

  struct Impl;

 private:
  explicit TlsStream(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace smimegw::net
