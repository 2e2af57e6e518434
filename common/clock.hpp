// The time of day for timestamps on the wire. Actors take it from their
// options, never from std::chrono directly, so deterministic tests drive
// timestamps with CAF's virtual time as they drive timers (durations and
// timeouts use the actor clock, self->clock()).
#pragma once

#include <chrono>
#include <functional>

namespace o2hub {

using wall_clock = std::function<std::chrono::system_clock::time_point()>;

/// The real time of day.
inline wall_clock system_wall_clock() {
  return [] { return std::chrono::system_clock::now(); };
}

} // namespace o2hub
