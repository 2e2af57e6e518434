// The intents as resources on the intent service (8002): GET
// /api/v1/intents lists every intent the pipelines know with its lifecycle
// status; DELETE /api/v1/intents/{id} removes a deployed intent from its
// sites (a remove run: one commit, then until no site's O2 IMS reports it).
// Through the pipelines of this process, or of the hub (`o2hub intent --hub`).
#pragma once

#include "io/http.hpp"
#include "io/service_context.hpp"

namespace o2hub {

void add_lifecycle_routes(http::router& r, const service_context& ctx,
                          pipeline_starter_actor pipelines);

} // namespace o2hub
