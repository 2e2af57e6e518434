#include "io/bridge_routes.hpp"

#include "io/static_files.hpp"
#include "io/ws_common.hpp"
#include "protocol/bridge_json.hpp"
#include "protocol/wire.hpp"

#include <caf/send.hpp>

namespace o2hub {

namespace {

/// One WebSocket protocol for every viewer: reads what clients send, checks
/// the role, and hands the bridge actor typed input. Output reaches the
/// clients through their sinks, pushed by the bridge actor.
class bridge_ws : public ws_endpoint {
public:
  explicit bridge_ws(bridge_actor bridge) : bridge_(std::move(bridge)) {}

  void on_open(const std::shared_ptr<ws_sink>& sink) override {
    caf::anon_send(bridge_, atom::join_v, ws_sink_ptr{sink});
  }

  void on_close(const std::shared_ptr<ws_sink>& sink) override {
    caf::anon_send(bridge_, atom::leave_v, sink->id());
  }

  void on_message(const std::shared_ptr<ws_sink>& sink, std::string_view data,
                  bool binary) override {
    auto type = common_ws_message(*sink, data, binary, false);
    if (!type)
      return;
    auto req = wire::read_bridge_request(data, *type);
    if (!req.error_code.empty()) {
      sink->send(wire::ws_error_json(req.error_code, req.error_message));
      return;
    }
    if (sink->role() != role::operator_) {
      sink->send(wire::ws_error_json("forbidden", "this connection may only watch: '"
                                                      + req.type
                                                      + "' needs the operator token"));
      return;
    }
    if (req.type == "resize") {
      caf::anon_send(bridge_, atom::resize_v, req.cols, req.rows);
      return;
    }
    if (req.type == "command")
      sink->send(wire::bridge_command_received_json(req.text));
    caf::anon_send(bridge_, atom::input_v, sink->id(), std::move(req.type),
                   std::move(req.text));
  }

private:
  bridge_actor bridge_;
};

} // namespace

void add_bridge_routes(http::router& r, const service_context& ctx, bridge_actor bridge) {
  using http::verb;
  r.add(verb::get, "/", static_file(ctx.webui + "/terminal.html"));
  // Watching needs at least the viewer token when tokens are configured;
  // typing needs the operator's (checked per message above).
  r.add_ws("/ws", std::make_shared<bridge_ws>(std::move(bridge)), http::access::viewer);
}

} // namespace o2hub
