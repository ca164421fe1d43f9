#include "smtp_test_support.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <boost/asio/detached.hpp>
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace smimegw::test {

namespace asio = boost::asio;

asio::awaitable<core::RecipientVerdict> MemorySink::check_recipient(const core::Envelope&,
                                                                    const core::Recipient& r) {
  core::RecipientVerdict v;
  if (unknown_users.count(r.address)) {
    v.accepted = false;
    v.reason = core::Error::make("unknown_user", "5.1.1 <" + r.address + ">: no such user");
  } else if (relay_denied.count(r.address)) {
    v.accepted = false;
    v.reason = core::Error::make("relay_denied", "relay access denied");
  }
  co_return v;
}

asio::awaitable<core::Result<core::Accepted>> MemorySink::accept(core::Envelope env,
                                                                 std::string message) {
  if (accept_error) co_return *accept_error;
  std::lock_guard lock(mu_);
  stored_.push_back({std::move(env), std::move(message)});
  co_return core::Accepted{"Q" + std::to_string(stored_.size()), {}};
}

std::vector<MemorySink::Stored> MemorySink::messages() const {
  std::lock_guard lock(mu_);
  return stored_;
}

std::size_t MemorySink::count() const {
  std::lock_guard lock(mu_);
  return stored_.size();
}

asio::awaitable<core::Result<std::string>> FixedAuthenticator::check(std::string user,
                                                                     std::string password) {
  ++calls;
  if (user == "alice" && password == "secret") co_return std::string("alice@example.com");
  co_return core::Error::make("auth_failed", "bad credentials");
}

const TestCert& test_cert() {
  static const TestCert cert = [] {
    char tmpl[] = "/tmp/smimegw-smtp-cert-XXXXXX";
    const char* dir = mkdtemp(tmpl);
    REQUIRE(dir != nullptr);
    TestCert c{std::filesystem::path(dir) / "cert.pem", std::filesystem::path(dir) / "key.pem"};
    auto r = run_command(
        "openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 2 "
        "-keyout " +
        c.key.string() + " -out " + c.cert.string() + " 2>&1");
    REQUIRE(r.status == 0);
    c.ca = std::filesystem::path(dir) / "ca.pem";
    c.leaf = std::filesystem::path(dir) / "leaf.pem";
    c.leaf_key = std::filesystem::path(dir) / "leaf.key";
    auto r2 =
        run_command(std::string("cd ") + dir +
                    " && openssl req -x509 -newkey rsa:2048 -nodes -subj '/CN=Test CA' "
                    "-days 2 -keyout ca.key -out ca.pem 2>&1 && openssl req -newkey rsa:2048 "
                    "-nodes -subj /CN=localhost -keyout leaf.key -out leaf.csr 2>&1 && printf "
                    "'subjectAltName=DNS:localhost\\n' > ext && openssl x509 -req -in leaf.csr "
                    "-CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -out leaf.pem -extfile "
                    "ext 2>&1");
    REQUIRE(r2.status == 0);
    return c;
  }();
  return cert;
}

smtp::ServerOptions test_options(smtp::Mode mode) {
  smtp::ServerOptions o;
  o.name = mode == smtp::Mode::Inbound ? "inbound" : "submission";
  o.mode = mode;
  o.hostname = "mx.test.example";
  o.limits.command_timeout = std::chrono::seconds(5);
  o.limits.data_timeout = std::chrono::seconds(5);
  return o;
}

TestServer::TestServer(smtp::ServerOptions opts, bool with_auth) {
  server_ = std::make_unique<smtp::Server>(io_.get_executor(), std::move(opts), sink, metrics,
                                           with_auth ? &auth : nullptr);
  auto st = server_->listen("127.0.0.1", 0);
  if (!st) FAIL("listen failed: " << st.error().code << " " << st.error().message);
  port_ = server_->port();
  asio::co_spawn(io_, server_->run(), asio::detached);
  thread_ = std::thread([this] { io_.run(); });
}

TestServer::~TestServer() {
  server_->stop();
  // Give sessions a moment to wind down, then stop the loop.
  for (int i = 0; i < 100 && server_->active() > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  io_.stop();
  thread_.join();
  server_.reset();
}

RawClient::RawClient(std::uint16_t port, int timeout_ms) {
  // No Catch macros here: clients also run on helper threads (Catch is not thread-safe); a
  // failure throws, which fails the test case on the main thread.
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) throw std::runtime_error("socket() failed");
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd_);
    throw std::runtime_error("connect to the test server failed");
  }
}

RawClient::~RawClient() {
  if (fd_ >= 0) ::close(fd_);
}

void RawClient::send(const std::string& data) {
  std::size_t off = 0;
  while (off < data.size()) {
    auto n = ::send(fd_, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return;
    off += static_cast<std::size_t>(n);
  }
}

bool RawClient::fill() {
  char b[4096];
  auto n = ::recv(fd_, b, sizeof b, 0);
  if (n <= 0) return false;
  buf_.append(b, static_cast<std::size_t>(n));
  return true;
}

std::string RawClient::reply() {
  std::string out;
  for (;;) {
    auto lf = buf_.find('\n');
    if (lf == std::string::npos) {
      if (!fill()) return out;
      continue;
    }
    std::string line = buf_.substr(0, lf + 1);
    buf_.erase(0, lf + 1);
    out += line;
    if (line.size() >= 4 && line[3] == ' ') return out;
    if (line.size() < 4) return out;
  }
}

std::string RawClient::code() {
  std::string r = reply();
  while (!r.empty() && (r.back() == '\r' || r.back() == '\n')) r.pop_back();
  auto nl = r.rfind('\n');
  std::string line = nl == std::string::npos ? r : r.substr(nl + 1);
  if (line.size() < 3) return line;
  std::string head = line.substr(0, 3);
  if (line.size() > 4 && std::isdigit(static_cast<unsigned char>(line[4]))) {
    auto sp = line.find(' ', 4);
    head += " " + line.substr(4, sp == std::string::npos ? std::string::npos : sp - 4);
  }
  return head;
}

std::string RawClient::rest() {
  while (fill()) {
  }
  std::string out = std::move(buf_);
  buf_.clear();
  return out;
}

bool RawClient::readable(int timeout_ms) {
  if (!buf_.empty()) return true;
  pollfd p{fd_, POLLIN, 0};
  return ::poll(&p, 1, timeout_ms) > 0;
}

bool RawClient::closed() {
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, 3000) <= 0) return false;
  char b;
  return ::recv(fd_, &b, 1, MSG_PEEK) == 0;
}

CommandResult run_command(const std::string& cmd) {
  CommandResult r;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> b;
  std::size_t n;
  while ((n = std::fread(b.data(), 1, b.size(), p)) > 0) r.output.append(b.data(), n);
  int st = ::pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

}  // namespace smimegw::test
