// Tests: test::run(awaitable) — core::run_sync under the short name the test suites use next to
// test::run(command) (test_env.hpp).
#pragma once

#include <utility>

#include "smimegw/core/run_sync.hpp"

namespace smimegw::test {

template <class T>
T run(boost::asio::awaitable<T> task) {
  return core::run_sync(std::move(task));
}

}  // namespace smimegw::test
