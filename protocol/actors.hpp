// Every o2hub actor interface, in one place. Read this header and one actor
// file to follow any message's path.
#pragma once

#include "protocol/fwd.hpp"
#include "protocol/intent.hpp"
#include "protocol/messages.hpp"

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <string>

namespace o2hub {

/// The status of one service (intent, monitor, bridge): uptime and the
/// service fields of GET /health.
using status_actor = caf::typed_actor<
  // Returns the service's health report.
  caf::replies_to<atom::health>::with<health_report>,
  // Sets a service field shown in the health report: key, JSON value text.
  caf::reacts_to<atom::put, std::string, std::string>>;

/// One LLM call (a CLI run or an HTTP request), as a detached actor that
/// blocks in I/O; it answers once and is then told to exit.
using llm_call_actor = caf::typed_actor<
  // Runs the call; returns the model's text (the CLI's "result", the
  // completion's message content).
  caf::replies_to<atom::run>::with<std::string>>;

/// Turns operators' sentences into intents: rules always, an LLM when
/// configured, with a cache.
using intent_actor = caf::typed_actor<
  // Understands one request (sites already validated by the caller).
  caf::replies_to<atom::process, intent_request>::with<intent_response>,
  // Returns counters and the LLM's state.
  caf::replies_to<atom::stats>::with<intent_stats>>;

} // namespace o2hub
