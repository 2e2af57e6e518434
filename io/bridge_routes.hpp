// The terminal bridge's routes (port 8004): the xterm page at / and the
// WebSocket /ws that streams the shared tmux session to its viewers.
#pragma once

#include "io/http.hpp"
#include "io/service_context.hpp"
#include "io/ws_sessions.hpp"

namespace o2hub {

/// `sessions` spawns each WebSocket connection's session actor.
void add_bridge_routes(http::router& r, const service_context& ctx,
                       ws_session_factory sessions);

} // namespace o2hub
