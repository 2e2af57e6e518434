#include "app/actor_config.hpp"

#include "protocol/register.hpp"

#include <caf/actor_system_config.hpp>

#include <chrono>

namespace o2hub {

void configure_actor_system(caf::actor_system_config& cfg) {
  register_types(cfg);
  using std::chrono::microseconds;
  using std::chrono::milliseconds;
  cfg.set("work-stealing.aggressive-poll-attempts", size_t{2});
  cfg.set("work-stealing.aggressive-steal-interval", size_t{1});
  // No sleeping poll phase: a worker that found nothing twice waits on its
  // condition variable, which an enqueue wakes at once. (A 0.5 ms sleep
  // between polls cost every keystroke up to 0.5 ms per hop from an Asio or
  // tmux thread; with the intent route's single hop, skipping it no longer
  // costs the intent POST CPU: issue 16.) CAF's own worker count stays
  // (at least four): a worker busy with a longer job must not hold up the
  // timers of others (the agent hub's heartbeat checks).
  cfg.set("work-stealing.moderate-poll-attempts", size_t{0});
  cfg.set("work-stealing.moderate-steal-interval", size_t{1});
  cfg.set("work-stealing.moderate-sleep-duration", caf::timespan{microseconds(500)});
  cfg.set("work-stealing.relaxed-steal-interval", size_t{1});
  cfg.set("work-stealing.relaxed-sleep-duration", caf::timespan{milliseconds(50)});
}

} // namespace o2hub
