// The routes every service has (health, metrics, services list, pages,
// static and vendored files), before the service adds its own.
#pragma once

#include "app/serve.hpp"
#include "io/http.hpp"
#include "io/security.hpp"
#include "io/service_context.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace o2hub {

/// `with_health` false when the service brings its own /health.
std::shared_ptr<http::router> make_router(const service_context& ctx,
                                          const run_options& opts,
                                          std::shared_ptr<const security_policy> security,
                                          bool with_health);

/// Logs a warning for each route of `r` missing from the description in
/// `spec_file`: every route a service answers is documented at its /docs.
void warn_undocumented(const http::router& r, const std::string& spec_file,
                       std::string_view service);

} // namespace o2hub
