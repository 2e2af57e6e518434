// The routes every service has (health, metrics, services list, pages,
// static and vendored files), before the service adds its own.
#pragma once

#include "app/serve.hpp"
#include "io/http.hpp"
#include "io/security.hpp"
#include "io/service_context.hpp"

#include <memory>

namespace o2hub {

/// `with_health` false when the service brings its own /health.
std::shared_ptr<http::router> make_router(const service_context& ctx,
                                          const run_options& opts,
                                          std::shared_ptr<const security_policy> security,
                                          bool with_health);

} // namespace o2hub
