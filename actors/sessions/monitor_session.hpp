// A dashboard's WebSocket session: answers what the client sends (pings,
// and an error for anything else). The connection itself is subscribed to
// the monitor when it opens (io/monitor_routes.cpp), which pushes
// initial_state and every event into its sink; this actor is spawned only
// when the client sends something.
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
                ws_sink_ptr sink);

} // namespace o2hub
