// The terminal bridge's wire format (port 8004 `/ws` and `/health`), as the
// original's clients know it plus the new input messages.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace o2hub::wire {

/// A client's message to the bridge, read and checked.
struct bridge_request {
  /// "command", "clear", "input", "key", "resize", "stream" ("ping" is
  /// answered before).
  std::string type;
  /// command: content; input: data; key: the key name; stream: raw or text.
  std::string text;
  uint32_t cols = 0;
  uint32_t rows = 0;
  /// Set when the message cannot be used: a stable code and a message.
  std::string error_code;
  std::string error_message;
};

/// Reads a message whose envelope type is `type`. Commands longer than
/// `max_text` bytes are refused.
bridge_request read_bridge_request(std::string_view text, std::string_view type,
                                   size_t max_text = 16384);

/// {"type":"connection","status":"connected","timestamp","session","role",
///  "session_active"}.
std::string bridge_connection_json(std::string_view session, std::string_view role,
                                   bool session_active);

/// {"type":"presence","watching","operators","viewers","timestamp"}: who
/// watches the session (counts by role).
std::string bridge_presence_json(size_t watching, size_t operators);

/// {"type":"output","content","timestamp"} (+ "snapshot":true for a screen).
std::string bridge_output_json(std::string_view content, bool snapshot);

/// {"type":"event","event","timestamp","match"}.
std::string bridge_event_json(std::string_view event, std::string_view match);

/// {"type":"command_received","command","timestamp"}.
std::string bridge_command_received_json(std::string_view command);

} // namespace o2hub::wire
