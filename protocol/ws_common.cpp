#include "protocol/ws_common.hpp"

#include "protocol/wire.hpp"

namespace o2hub {

std::optional<std::string> common_ws_message(ws_sink& sink, std::string_view data,
                                             bool binary, bool text_pong) {
  if (binary) {
    sink.send(wire::ws_error_json("binary_not_supported",
                                  "send JSON text messages, not binary frames"));
    return std::nullopt;
  }
  if (data == "ping") { // the original clients' plain-text ping
    sink.send(text_pong ? std::string{"pong"} : wire::pong_json());
    return std::nullopt;
  }
  auto env = wire::read_ws_envelope(data);
  if (!env.type) {
    sink.send(wire::ws_error_json(env.error_code, env.error_message));
    return std::nullopt;
  }
  if (*env.type == "ping") {
    sink.send(wire::pong_json());
    return std::nullopt;
  }
  return env.type;
}

} // namespace o2hub
