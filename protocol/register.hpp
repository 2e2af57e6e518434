// Registers o2hub's message types and error category with an actor system
// configuration. Every process (and every node) calls this once.
#pragma once

#include <caf/fwd.hpp>

namespace o2hub {

void register_types(caf::actor_system_config& cfg);

} // namespace o2hub
