// A terminal viewer's WebSocket session: joins the bridge when it starts,
// turns what the client sends into the bridge's typed input (operators
// only), and leaves the bridge when the connection closes.
#pragma once

#include "protocol/actors.hpp"

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <memory>

namespace o2hub {

struct bridge_session_state {
  static inline const char* name = "bridge-session";
  /// Weak: the connection owns its sink; a session never keeps a closed
  /// connection's Asio objects alive (they must go before the io_context).
  std::weak_ptr<ws_sink> sink;
  bridge_actor bridge;
};

ws_session_actor::behavior_type
bridge_session(ws_session_actor::stateful_pointer<bridge_session_state> self,
               ws_sink_ptr sink, bridge_actor bridge);

} // namespace o2hub
