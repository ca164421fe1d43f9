// Test support: where fixtures live and how to reach the private PostgreSQL that scripts/test.sh
// starts. A test that needs the database fails (never skips) when it is not there.
#pragma once

#include <filesystem>
#include <string>

namespace smimegw::test {

std::filesystem::path source_dir();
std::filesystem::path shared_dir();  ///< ../shared next to the checkout (corpus)
std::string read_file(const std::filesystem::path& p);

/// The admin URL of the test cluster (SMIMEGW_TEST_DATABASE_URL); fails the test when unset.
std::string admin_database_url();

/// A fresh, empty database created for one test and dropped when this object goes away.
class ScratchDatabase {
 public:
  ScratchDatabase();
  ~ScratchDatabase();
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;
  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  std::string url_;
};

}  // namespace smimegw::test
