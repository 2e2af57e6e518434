#include "actors/sessions/bridge_session.hpp"

#include "protocol/bridge_json.hpp"
#include "protocol/wire.hpp"
#include "protocol/ws_common.hpp"
#include "protocol/ws_sink.hpp"

#include <caf/send.hpp>

namespace o2hub {

ws_session_actor::behavior_type
bridge_session(ws_session_actor::stateful_pointer<bridge_session_state> self,
               ws_sink_ptr sink, bridge_actor bridge) {
  self->state.sink = sink;
  self->state.bridge = bridge;
  self->send(bridge, atom::join_v, sink);
  // Gone (closed, or the system stops): the bridge forgets the viewer.
  self->attach_functor(
      [bridge, id = sink->id()] { caf::anon_send(bridge, atom::leave_v, id); });
  return {
      [self](atom::frame, const std::string& data, bool binary) {
        auto& st = self->state;
        auto locked = st.sink.lock();
        if (!locked)
          return; // closed
        auto& sink = *locked;
        auto type = common_ws_message(sink, data, binary, false);
        if (!type)
          return;
        auto req = wire::read_bridge_request(data, *type);
        if (!req.error_code.empty()) {
          sink.send(wire::ws_error_json(req.error_code, req.error_message));
          return;
        }
        if (req.type == "stream") { // any viewer picks its form of the stream
          self->send(st.bridge, atom::hello_v, sink.id(), req.text == "raw");
          return;
        }
        if (sink.role() != role::operator_) {
          sink.send(wire::ws_error_json("forbidden", "this connection may only watch: '"
                                                         + req.type
                                                         + "' needs the operator token"));
          return;
        }
        if (req.type == "resize") {
          self->send(st.bridge, atom::resize_v, req.cols, req.rows);
          return;
        }
        if (req.type == "command")
          sink.send(wire::bridge_command_received_json(req.text));
        self->send(st.bridge, atom::input_v, sink.id(), std::move(req.type),
                   std::move(req.text));
      },
  };
}

} // namespace o2hub
