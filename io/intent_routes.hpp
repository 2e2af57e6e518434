// The intent service's routes (port 8002): REST, batch, WebSocket, health,
// metrics, OpenAPI and Swagger UI.
#pragma once

#include "io/http.hpp"
#include "io/service_context.hpp"
#include "io/ws_sessions.hpp"

namespace o2hub {

/// Most requests in one batch.
constexpr size_t max_batch_items = 100;

/// Adds the intent routes to `r`; requests go to `intent`.
/// `sessions` spawns each WebSocket connection's session actor.
void add_intent_routes(http::router& r, const service_context& ctx, intent_actor intent,
                       ws_session_factory sessions);

} // namespace o2hub
