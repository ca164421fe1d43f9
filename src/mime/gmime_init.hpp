// mime (private): GMime must be initialised once per process before use.
#pragma once

#include <gmime/gmime.h>

#include <mutex>

namespace smimegw::mime::detail {

inline void ensure_gmime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

}  // namespace smimegw::mime::detail
