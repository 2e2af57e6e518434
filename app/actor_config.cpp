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
  cfg.set("work-stealing.moderate-poll-attempts", size_t{5});
  cfg.set("work-stealing.moderate-steal-interval", size_t{1});
  cfg.set("work-stealing.moderate-sleep-duration", caf::timespan{microseconds(500)});
  cfg.set("work-stealing.relaxed-steal-interval", size_t{1});
  cfg.set("work-stealing.relaxed-sleep-duration", caf::timespan{milliseconds(50)});
}

} // namespace o2hub
