#include "smimegw/app/cli.hpp"

int main(int argc, char** argv) {
  return smimegw::app::run_cli(argc, argv);
}
