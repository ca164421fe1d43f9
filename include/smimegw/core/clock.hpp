// core: time source. Services take a Clock& so tests can set the time (STYLE.md rule 8).
#pragma once

#include <chrono>

namespace smimegw::core {

class Clock {
 public:
  using time_point = std::chrono::system_clock::time_point;
  virtual ~Clock() = default;
  virtual time_point now() const = 0;
};

class SystemClock final : public Clock {
 public:
  time_point now() const override { return std::chrono::system_clock::now(); }
};

/// A clock that stays where a test puts it.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(time_point t) : t_(t) {}
  time_point now() const override { return t_; }
  void set(time_point t) { t_ = t; }
  void advance(std::chrono::system_clock::duration d) { t_ += d; }

 private:
  time_point t_;
};

}  // namespace smimegw::core
