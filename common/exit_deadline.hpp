// A time limit on a process's last steps. CAF 0.17's middleman opens node
// connections with a blocking connect(2) that has no time limit, and its stop
// waits for it: a connect begun just before SIGTERM to a hub whose accept
// queue is full holds the stop for ~2 minutes (the kernel's SYN retries), and
// one that ends after the middleman's broker has stopped leaves the middleman
// actor referenced for ever, so the actor system's destructor waits for its
// thread for ever. A node whose hub drops SYNs puts the middleman right
// there (io/node_connector.hpp answers the asker after 4 s, but CAF's
// connect goes on); this deadline bounds the stop. Arm it when only CAF's own
// teardown remains (nothing of o2hub's that holds data is still running).
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace o2hub {

/// What the services and the agent give CAF's teardown, and how they name it.
inline constexpr std::chrono::seconds actor_system_teardown_limit{5};
inline constexpr const char* actor_system_teardown =
    "the actor system (CAF's middleman may be inside a connect to the hub)";

class exit_deadline {
public:
  exit_deadline() = default;
  exit_deadline(const exit_deadline&) = delete;
  exit_deadline& operator=(const exit_deadline&) = delete;

  /// Disarms: what was waited for finished in time.
  ~exit_deadline();

  /// From now on: unless this object is destroyed within `limit`, logs a
  /// warning naming `what` and ends the process with `code` (std::_Exit: no
  /// destructors, no atexit handlers). Arms once; later calls do nothing.
  void arm(std::chrono::milliseconds limit, std::string what, int code = 0);

private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

} // namespace o2hub
