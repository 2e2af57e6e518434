// The tmux control connection as an actor (protocol/actors.hpp: tmux_actor):
// the bridge sends commands to it; the link's thread reports what tmux says
// straight to the bridge (io/tmux.hpp callbacks).
#pragma once

#include "protocol/actors.hpp"

#include <caf/fwd.hpp>

#include <memory>

namespace o2hub {

class tmux_link;

/// Spawns the actor in front of `link` (weak: the composition root owns the
/// link and stops it at shutdown; commands after that fail).
tmux_actor spawn_tmux_actor(caf::actor_system& sys, std::weak_ptr<tmux_link> link);

} // namespace o2hub
