#include "smimegw/app/cli.hpp"

#include <iostream>

#include "smimegw/version.hpp"

namespace smimegw::app {
int run_cli(int, char**) {
  std::cout << "smimegw " << kVersion << "\n";
  return 0;
}
}  // namespace smimegw::app
