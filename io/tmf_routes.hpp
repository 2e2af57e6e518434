// TMF921 v5 Intent Management (`/tmf-api/intentManagement/v5`) on the
// intent service's port: intent (POST, GET list and one, PATCH as a JSON
// merge patch, DELETE), intentReport (GET), hub (POST, DELETE). Reads need
// the viewer token, changes the operator token (when tokens are
// configured); errors are TMF's Error.
#pragma once

#include "io/http.hpp"
#include "io/service_context.hpp"

namespace o2hub {

void add_tmf_routes(http::router& r, const service_context& ctx, tmf_actor tmf);

} // namespace o2hub
