#include "actors/sessions/monitor_session.hpp"

#include "protocol/wire.hpp"
#include "protocol/ws_common.hpp"
#include "protocol/ws_sink.hpp"

namespace o2hub {

ws_session_actor::behavior_type
monitor_session(ws_session_actor::stateful_pointer<monitor_session_state> self,
                ws_sink_ptr sink) {
  self->state.sink = sink;
  return {
      [self](atom::frame, const std::string& data, bool binary) {
        auto locked = self->state.sink.lock();
        if (!locked)
          return; // closed
        auto& sink = *locked;
        // The original clients send the bare text "ping" and expect "pong".
        if (auto type = common_ws_message(sink, data, binary, true))
          sink.send(wire::ws_error_json("unknown_type",
                                        "unknown message type '" + *type + "'"));
      },
  };
}

} // namespace o2hub
