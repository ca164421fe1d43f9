#include "test_env.hpp"

#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <pqxx/pqxx>
#include <sstream>

namespace smimegw::test {

std::filesystem::path source_dir() {
  return SMIMEGW_SOURCE_DIR;
}

std::filesystem::path shared_dir() {
  if (const char* s = std::getenv("SMIMEGW_SHARED_DIR")) return s;
  return SMIMEGW_SHARED_DIR;
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) FAIL("cannot read fixture " << p);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

static std::string conninfo(const std::string& dbname) {
  const char* host = std::getenv("SMIMEGW_TEST_PGHOST");
  const char* user = std::getenv("SMIMEGW_TEST_PGUSER");
  if (!host || !user)
    FAIL(
        "SMIMEGW_TEST_PGHOST/SMIMEGW_TEST_PGUSER are not set: run the tests through "
        "scripts/test.sh, which starts a private PostgreSQL");
  return std::string("host=") + host + " user=" + user + " dbname=" + dbname;
}

std::string admin_database_url() {
  return conninfo("postgres");
}

ScratchDatabase::ScratchDatabase() {
  static std::atomic<int> counter{0};
  name_ = "t_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
  pqxx::connection c(admin_database_url());
  pqxx::nontransaction tx(c);
  tx.exec("DROP DATABASE IF EXISTS " + name_);
  tx.exec("CREATE DATABASE " + name_ + " TEMPLATE template0");
  url_ = conninfo(name_);
}

ScratchDatabase::~ScratchDatabase() {
  try {
    pqxx::connection c(admin_database_url());
    pqxx::nontransaction tx(c);
    tx.exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (...) {
  }
}

}  // namespace smimegw::test
