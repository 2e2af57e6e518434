// What every WebSocket endpoint answers alike.
#pragma once

#include "protocol/ws_sink.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace o2hub {

/// Answers binary frames and unreadable messages with an error, pings with
/// a pong (`text_pong`: the bare text "ping" gets the text "pong", as the
/// original monitor did; otherwise JSON). Returns the type of any other
/// message for the endpoint to handle, or nullopt when already answered.
std::optional<std::string> common_ws_message(ws_sink& sink, std::string_view data,
                                             bool binary, bool text_pong);

} // namespace o2hub
