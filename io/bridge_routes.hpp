// The terminal bridge's routes (port 8004): the xterm page at / and the
// WebSocket /ws that streams the shared tmux session to its viewers.
#pragma once

#include "io/http.hpp"
#include "io/service_context.hpp"

namespace o2hub {

void add_bridge_routes(http::router& r, const service_context& ctx, bridge_actor bridge);

} // namespace o2hub
