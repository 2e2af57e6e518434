// The realtime monitor's routes (port 8003): pipeline and edge updates
// (query parameters as the original took them, or JSON bodies), metrics,
// pipelines, edges, and the WebSocket fed by the monitor actor.
#pragma once

#include "io/http.hpp"
#include "io/service_context.hpp"
#include "io/ws_sessions.hpp"

namespace o2hub {

/// `sessions` spawns each WebSocket connection's session actor.
void add_monitor_routes(http::router& r, const service_context& ctx,
                        monitor_actor monitor, ws_session_factory sessions);

} // namespace o2hub
