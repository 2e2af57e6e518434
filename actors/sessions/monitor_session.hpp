// A dashboard's WebSocket session: subscribes its sink to the monitor (which
// pushes initial_state and every event into it) and answers what the client
// sends: pings, and an error for anything else.
#pragma once

#include "protocol/actors.hpp"

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <memory>

namespace o2hub {

struct monitor_session_state {
  static inline const char* name = "monitor-session";
  /// Weak: the connection owns its sink; a session never keeps a closed
  /// connection's Asio objects alive (they must go before the io_context).
  std::weak_ptr<ws_sink> sink;
};

ws_session_actor::behavior_type
monitor_session(ws_session_actor::stateful_pointer<monitor_session_state> self,
                ws_sink_ptr sink, monitor_actor monitor);

} // namespace o2hub
