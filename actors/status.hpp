// The status actor of one service: uptime, request counters and the service
// fields that GET /health reports.
#pragma once

#include "protocol/actors.hpp"
#include "protocol/messages.hpp"

#include <caf/typed_event_based_actor.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <utility>

namespace o2hub {

struct status_state {
  static inline const char* name = "status";

  /// Service name ("intent", "monitor", "bridge").
  std::string service;
  /// When the actor started, on the actor clock (virtual under tests).
  caf::actor_clock::time_point started;
  /// Service fields by key. A text field "status" overrides the reported
  /// status.
  std::map<std::string, health_field> fields;
};

/// Spawn with sys.spawn(status, "intent").
status_actor::behavior_type status(status_actor::stateful_pointer<status_state> self,
                                   std::string service);

} // namespace o2hub
