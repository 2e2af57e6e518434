#include "common/exit_deadline.hpp"

#include "common/log.hpp"

#include <cstdlib>

namespace o2hub {

exit_deadline::~exit_deadline() {
  {
    std::lock_guard<std::mutex> guard{mutex_};
    done_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable())
    thread_.join();
}

void exit_deadline::arm(std::chrono::milliseconds limit, std::string what, int code) {
  if (thread_.joinable())
    return;
  thread_ = std::thread{[this, limit, what = std::move(what), code] {
    std::unique_lock<std::mutex> lock{mutex_};
    if (cv_.wait_for(lock, limit, [this] { return done_; }))
      return;
    log::warn("the stop did not finish in time; exiting",
              {{"waited_ms", std::to_string(limit.count())}, {"for", what}});
    std::_Exit(code);
  }};
}

} // namespace o2hub
