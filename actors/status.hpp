// The status actor of one service: uptime, request counters and the service
// fields that GET /health reports.
#pragma once

#include "protocol/actors.hpp"
#include "protocol/health_board.hpp"
#include "protocol/messages.hpp"

#include <caf/typed_event_based_actor.hpp>

#include <cstdint>
#include <map>
#include <memory>
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
  /// Where each change is published for readers outside the actor system
  /// (GET /health); null: nowhere.
  std::shared_ptr<health_board> board;
};

/// Spawn with sys.spawn(status, "intent").
status_actor::behavior_type status(status_actor::stateful_pointer<status_state> self,
                                   std::string service);

/// The same, publishing every change on `board` (sys.spawn(published_status,
/// "intent", board)).
status_actor::behavior_type
published_status(status_actor::stateful_pointer<status_state> self, std::string service,
                 std::shared_ptr<health_board> board);

} // namespace o2hub
