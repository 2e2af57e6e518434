#include "app/actor_config.hpp"

#include "protocol/register.hpp"

#include <caf/actor_system_config.hpp>

#include <algorithm>
#include <chrono>
#include <thread>

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
  // tmux thread; with the intent route's single hop and one worker per
  // core, skipping it no longer costs the intent POST CPU: issue 16.)
  cfg.set("work-stealing.moderate-poll-attempts", size_t{0});
  cfg.set("work-stealing.moderate-steal-interval", size_t{1});
  cfg.set("work-stealing.moderate-sleep-duration", caf::timespan{microseconds(500)});
  cfg.set("work-stealing.relaxed-steal-interval", size_t{1});
  cfg.set("work-stealing.relaxed-sleep-duration", caf::timespan{milliseconds(50)});
  // One worker per core, not CAF's floor of four: blocking work (git, the
  // stores, LLM calls) runs in detached actors, so a worker beyond the
  // cores only polls and sleeps (issue 16: on 2 cores the intent POST took
  // 31-32 us of CPU with 4 workers, 28.6-29.8 us with 2).
  cfg.set("scheduler.max-threads",
          size_t{std::max(1u, std::thread::hardware_concurrency())});
}

} // namespace o2hub
