// Every o2hub actor interface, in one place. Read this header and one actor
// file to follow any message's path.
#pragma once

#include "protocol/fwd.hpp"
#include "protocol/messages.hpp"

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <string>

namespace o2hub {

/// The status of one service (intent, monitor, bridge): uptime, counters and
/// service fields for GET /health.
using status_actor = caf::typed_actor<
  // Returns the service's health report.
  caf::replies_to<atom::health>::with<health_report>,
  // Counts one handled HTTP request.
  caf::reacts_to<atom::count, http_count>,
  // Sets a service field shown in the health report: key, JSON value text.
  caf::reacts_to<atom::put, std::string, std::string>>;

} // namespace o2hub
