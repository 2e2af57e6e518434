#include "io/tmux_actor.hpp"

#include "io/tmux.hpp"

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

namespace o2hub {

namespace {

struct tmux_actor_state {
  static inline const char* name = "tmux";
  std::weak_ptr<tmux_link> link;
};

tmux_actor::behavior_type
tmux_behavior(tmux_actor::stateful_pointer<tmux_actor_state> self,
              std::weak_ptr<tmux_link> link) {
  self->state.link = std::move(link);
  return {
      [self](atom::command, const std::string& command, uint64_t tag) {
        auto link = self->state.link.lock();
        if (link && link->send(command, tag))
          return;
        // Not sent (the connection is down, or tmux stopped reading and
        // too much waits): a tagged command still gets its answer, a failed
        // one, so the asker never waits forever.
        if (tag != 0)
          if (auto to = caf::actor_cast<bridge_actor>(self->current_sender()))
            self->send(to, atom::reply_v, tag, false,
                       std::string{"the tmux control connection is down or not reading"});
      },
  };
}

} // namespace

tmux_actor spawn_tmux_actor(caf::actor_system& sys, std::weak_ptr<tmux_link> link) {
  return sys.spawn(tmux_behavior, std::move(link));
}

} // namespace o2hub
