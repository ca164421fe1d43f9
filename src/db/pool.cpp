#include "smimegw/db/pool.hpp"

#include <map>
#include <mutex>
#include <thread>

namespace smimegw::db {
namespace {

bool is_uri(const std::string& url) {
  return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
}

std::string percent_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string conninfo_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

// One connection per worker thread of each pool (a thread belongs to exactly one pool).
thread_local std::unique_ptr<pqxx::connection> t_connection;

}  // namespace

std::string connection_string(const ConnectionOptions& opts) {
  std::map<std::string, std::string> extra;
  if (!opts.password.empty()) extra["password"] = opts.password;
  extra["options"] = "-c statement_timeout=" + std::to_string(opts.statement_timeout_ms);
  extra["application_name"] = "smimegw";
  std::string out = opts.url;
  if (is_uri(out)) {
    char sep = out.find('?') == std::string::npos ? '?' : '&';
    for (const auto& [k, v] : extra) {
      out += sep + k + "=" + percent_encode(v);
      sep = '&';
    }
  } else {
    for (const auto& [k, v] : extra) out += " " + k + "=" + conninfo_quote(v);
  }
  return out;
}

namespace detail {
core::Error classify_current_exception(bool& retry, bool& broken) {
  try {
    throw;
  } catch (const pqxx::broken_connection&) {
    broken = true;
    return core::Error::transient("db_unavailable", "database connection lost");
  } catch (const pqxx::serialization_failure&) {
    retry = true;
    return core::Error::transient("db_conflict", "database serialization failure");
  } catch (const pqxx::deadlock_detected&) {
    retry = true;
    return core::Error::transient("db_conflict", "database deadlock");
  } catch (const pqxx::in_doubt_error&) {
    return core::Error::transient("db_in_doubt", "database commit outcome unknown");
  } catch (const pqxx::unique_violation&) {
    return core::Error::make("db_duplicate", "record already exists");
  } catch (const pqxx::sql_error& e) {
    return core::Error::make("db_error", "database error (SQLSTATE " + e.sqlstate() + ")");
  } catch (const std::exception& e) {
    return core::Error::make("db_error", std::string("database operation failed: ") + e.what());
  }
}
}  // namespace detail

core::Result<std::unique_ptr<pqxx::connection>> connect(const ConnectionOptions& opts) {
  if (opts.url.empty())
    return core::Error::make("db_config",
                             "database.url is empty: set it (or SMIMEGW_DATABASE_URL), or start "
                             "the embedded cluster with scripts/run.sh");
  try {
    return std::make_unique<pqxx::connection>(connection_string(opts));
  } catch (const pqxx::broken_connection& e) {
    // libpq's message names the host/socket and the reason, never the password.
    std::string why = e.what();
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    for (auto& c : why)
      if (c == '\n') c = ' ';
    return core::Error::transient("db_unavailable", "database unreachable: " + why);
  } catch (const std::exception& e) {
    return core::Error::make("db_config", std::string("bad database.url: ") + e.what());
  }
}

core::Result<std::unique_ptr<pqxx::connection>> connect_with_retry(
    const ConnectionOptions& opts, std::chrono::milliseconds timeout,
    const std::function<void(const core::Error&)>& on_retry) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  auto delay = std::chrono::milliseconds(100);
  for (;;) {
    auto c = connect(opts);
    if (c.ok() || !c.error().temporary) return c;
    if (std::chrono::steady_clock::now() + delay > deadline) return c;
    if (on_retry) on_retry(c.error());
    std::this_thread::sleep_for(delay);
    delay = std::min(delay * 2, std::chrono::milliseconds(2000));
  }
}

Pool::Pool(ConnectionOptions opts, int threads)
    : opts_(std::move(opts)), threads_(static_cast<std::size_t>(threads)) {}

Pool::~Pool() {
  stop();
}

void Pool::stop() {
  threads_.join();
}

core::Result<pqxx::connection*> Pool::worker_connection() {
  if (t_connection && t_connection->is_open()) return t_connection.get();
  auto c = connect(opts_);
  if (!c) return c.error();
  t_connection = std::move(*c);
  return t_connection.get();
}

void Pool::drop_worker_connection() {
  t_connection.reset();
}

}  // namespace smimegw::db
