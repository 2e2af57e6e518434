// The realtime monitor's routes (port 8003): pipeline and edge updates
// (query parameters as the original took them, or JSON bodies), metrics,
// pipelines, edges, and the WebSocket fed by the monitor actor.
#pragma once

#include "io/http.hpp"
#include "io/service_context.hpp"

namespace o2hub {

void add_monitor_routes(http::router& r, const service_context& ctx,
                        monitor_actor monitor);

} // namespace o2hub
