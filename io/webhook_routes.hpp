// Alertmanager webhooks on the intent service (8002): POST /webhook/alert,
// /webhook/critical and /webhook/rollback take Alertmanager's payload; a
// firing alert naming an intent (label intent_id) or a site (label site or
// edge) rolls back the affected deployed intents.
#pragma once

#include "io/http.hpp"
#include "io/service_context.hpp"
#include "protocol/alerts.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace o2hub {

void add_webhook_routes(http::router& r, const service_context& ctx,
                        pipeline_manager_actor pipelines);

} // namespace o2hub
