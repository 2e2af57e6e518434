// The intent service's routes (port 8002): REST, batch, WebSocket, health,
// metrics, OpenAPI and Swagger UI.
#pragma once

#include "io/http.hpp"
#include "io/service_context.hpp"

namespace o2hub {

/// Most requests in one batch.
constexpr size_t max_batch_items = 100;

/// Adds the intent routes to `r`; requests go to `intent`.
void add_intent_routes(http::router& r, const service_context& ctx, intent_actor intent);

} // namespace o2hub
